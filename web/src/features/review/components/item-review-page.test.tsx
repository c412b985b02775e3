import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import createClient from 'openapi-fetch';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { paths } from '@/types/api.gen';
import { ApiContext } from '@/lib/api-context';
import type { ItemReview } from '../api/get-review';
import { ReviewForm } from './item-review-page';

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } });

const theirs: ItemReview = {
  item_key: 'k1',
  item_code: 'A1',
  status: 'reviewed',
  note_to_program: 'Looks complete.',
  internal_note: 'Checked the minutes.',
  reviewed_by: 'u-colleague',
  reviewed_at: '2026-12-07T10:00:00Z',
  version: 3,
};

describe('ReviewForm', () => {
  it('a stale save shows both reviews; merging sends both notes at the colleague version', async () => {
    const fetch = vi.fn<(r: Request) => Promise<Response>>();
    fetch.mockResolvedValueOnce(json({ title: 'Conflict', detail: 'changed', current: theirs, current_version: 3 }, 409));
    fetch.mockImplementationOnce(async (r) => json({ ...theirs, ...((await r.clone().json()) as object), version: 4 }, 200));
    const api = createClient<paths>({ baseUrl: 'https://api.test', fetch });
    const stored: ItemReview = { ...theirs, status: 'needs_review', note_to_program: null, internal_note: null, version: 2 };
    render(
      <MemoryRouter>
        <ApiContext value={api}>
          <QueryClientProvider client={new QueryClient()}>
            <ReviewForm cycleId="c1" code="A1" stored={stored} next={null} />
          </QueryClientProvider>
        </ApiContext>
      </MemoryRouter>,
    );
    await userEvent.click(screen.getByLabelText('Flagged: the program should look again'));
    await userEvent.type(screen.getByLabelText('Note to the program'), 'Attach the minutes.');
    await userEvent.type(screen.getByLabelText(/^Internal note/), 'Board rarely meets.');
    await userEvent.click(screen.getAllByRole('button', { name: 'Save' })[0] as HTMLElement);

    const conflict = await screen.findByTestId('conflict');
    expect(conflict.textContent).toContain('Looks complete.');
    expect(conflict.textContent).toContain('Attach the minutes.');
    const first = fetch.mock.calls[0]?.[0];
    expect(first?.headers.get('If-Match')).toBe('"2"');

    await userEvent.click(screen.getByRole('button', { name: 'Keep mine and merge the notes' }));
    await vi.waitFor(() => { expect(fetch).toHaveBeenCalledTimes(2); });
    const second = fetch.mock.calls[1]?.[0];
    expect(second?.headers.get('If-Match')).toBe('"3"');
    expect(await second?.json()).toEqual({
      status: 'flagged',
      note_to_program: 'Attach the minutes.\n\nLooks complete.',
      internal_note: 'Board rarely meets.\n\nChecked the minutes.',
    });
    await vi.waitFor(() => { expect(screen.queryByTestId('conflict')).toBeNull(); });
    expect(screen.getByTestId('review-save-status').textContent).toMatch(/^Saved /);
  });
});
