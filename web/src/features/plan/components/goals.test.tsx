import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import createClient from 'openapi-fetch';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { paths } from '@/types/api.gen';
import { ApiContext } from '@/lib/api-context';
import type { Goal } from '../api/plan';
import { GoalCard } from './goals';

const goal = (overrides: Partial<Goal> = {}): Goal => ({
  goal_id: 'g1',
  item_key: 'k1',
  item_code: 'A1',
  title: 'Board minutes every quarter',
  action_steps: ['Draft the change'],
  owner_id: 'u-pia',
  baseline_rating: 3,
  target_rating: 3,
  start_date: '2026-12-07',
  target_date: '2027-09-07',
  status: 'completed',
  overdue: false,
  retired: false,
  version: 2,
  progress: [],
  evidence_ids: [],
  warnings: [
    { code: 'target-not-above-baseline', field: 'target_rating', message: 'The target rating (3) is not above the baseline (3).' },
  ],
  ...overrides,
});

function withApi(children: ReactNode, fetch: (r: Request) => Promise<Response>) {
  const api = createClient<paths>({ baseUrl: 'https://api.test', fetch });
  return (
    <ApiContext value={api}>
      <QueryClientProvider client={new QueryClient()}>{children}</QueryClientProvider>
    </ApiContext>
  );
}

const card = (role: 'affiliate' | 'program' | 'reader', g: Goal, fetch = vi.fn<(r: Request) => Promise<Response>>()) =>
  render(
    withApi(
      <GoalCard cycleId="c1" goal={g} role={role} finalized canEdit={role === 'affiliate'} people={[{ id: 'u-pia', name: 'Pia' }]} items={[]} />,
      fetch,
    ),
  );

describe('GoalCard', () => {
  it('shows the API warning beside the target rating, and the owner by name', () => {
    card('reader', goal());
    expect(screen.getByText(/Warning: The target rating \(3\) is not above the baseline/)).toBeTruthy();
    expect(screen.getByText('Pia')).toBeTruthy();
  });

  it('offers verify and send back to the affiliate only, for a completed goal', () => {
    card('program', goal());
    expect(screen.queryByRole('button', { name: 'Verify' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Send back' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Mark completed' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Change the goal' })).toBeNull();
    cleanup();
    card('affiliate', goal());
    expect(screen.getByRole('button', { name: 'Verify' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send back' })).toBeTruthy();
  });

  it('offers progress and completion to the program while the goal is open, never to the affiliate', () => {
    card('affiliate', goal({ status: 'in_progress' }));
    expect(screen.queryByRole('button', { name: 'Mark completed' })).toBeNull();
    cleanup();
    card('program', goal({ status: 'in_progress' }));
    expect(screen.getByRole('button', { name: 'Mark completed' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Post progress' })).toBeTruthy();
  });

  it('sends a goal back with the comment the affiliate wrote', async () => {
    const sentBack = JSON.stringify({ ...goal(), status: 'sent_back' });
    const fetch = vi.fn<(r: Request) => Promise<Response>>(() =>
      Promise.resolve(new Response(sentBack, { status: 200, headers: { 'Content-Type': 'application/json' } })),
    );
    card('affiliate', goal(), fetch);
    await userEvent.click(screen.getByRole('button', { name: 'Send back' }));
    await userEvent.type(screen.getByLabelText(/What is still missing/), 'Attach the minutes.');
    await userEvent.click(screen.getByRole('button', { name: 'Send the goal back' }));
    await vi.waitFor(() => { expect(fetch).toHaveBeenCalledTimes(1); });
    const request = fetch.mock.calls[0]?.[0];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('https://api.test/cycles/c1/plan/goals/g1/send-back');
    expect(await request?.json()).toEqual({ comment: 'Attach the minutes.' });
  });
});
