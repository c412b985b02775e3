import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import type { paths } from '@/types/api.gen';
import { ApiContext } from '@/lib/api-context';
import type { Review } from '../api/review';
import { MeetingPanel } from './meeting-panel';

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

describe('the meeting panel', () => {
  it('starts a new meeting in the affiliate’s time zone, even when opened while the affiliate is still loading', async () => {
    let release: () => void = () => undefined;
    const affiliateAnswered = new Promise<void>((r) => { release = r; });
    const api = createClient<paths>({
      baseUrl: 'https://api.test',
      fetch: async (request: Request) => {
        if (new URL(request.url).pathname === '/affiliates/aff_1') {
          await affiliateAnswered; // a slow answer: the form must not start in the browser's zone meanwhile
          return json({ affiliate_id: 'aff_1', name: 'MENTOR Virginia', time_zone: 'America/New_York' });
        }
        return json({ items: [], next: null }); // the program's and the affiliate's staff
      },
    });
    const review = { cycle_id: 'cyc_1', program_id: 'prg_1', meeting: null } as unknown as Review;
    render(
      <ApiContext value={api}>
        <QueryClientProvider client={new QueryClient()}>
          <MeetingPanel cycleId="cyc_1" review={review} editable affiliateId="aff_1" />
        </QueryClientProvider>
      </ApiContext>,
    );
    const schedule = screen.getByRole<HTMLButtonElement>('button', { name: 'Schedule the meeting' });
    expect(schedule.disabled).toBe(true);
    release();
    await waitFor(() => { expect(schedule.disabled).toBe(false); });
    await userEvent.click(schedule);
    expect(screen.getByLabelText<HTMLSelectElement>('Time zone').value).toBe('America/New_York');
  });
});
