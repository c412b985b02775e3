import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import createClient from 'openapi-fetch';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { paths } from '@/types/api.gen';
import { ApiContext } from '@/lib/api-context';
import { EnrollPage } from './enroll-page';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const affiliate = (id: string, name: string, state: string) => ({
  affiliate_id: id,
  name,
  state,
  time_zone: 'America/New_York',
  contact_email: `hello@${id}.example`,
  default_due_weeks: 6,
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
});
const VA = affiliate('aff_va', 'MENTOR Virginia', 'VA');
const NE = affiliate('aff_ne', 'MENTOR Nebraska', 'NE');
const staffOf = (...ids: string[]) => ({
  user_id: 'usr_dana',
  email: 'dana@affiliates.example',
  roles: ['affiliate-staff'],
  memberships: ids.map((id) => ({ scope: 'affiliate', scope_id: id, role: 'affiliate-staff' })),
});

/** The enroll page for Virginia, as someone on the staff of ``mine``; the requests it sent. */
function renderPage(mine: (typeof VA)[]) {
  const sent: Request[] = [];
  const api = createClient<paths>({
    baseUrl: 'https://api.test',
    fetch: (r: Request) => {
      sent.push(r);
      const path = new URL(r.url).pathname;
      if (path === '/me') return Promise.resolve(json(staffOf(...mine.map((a) => a.affiliate_id))));
      if (path === '/affiliates/aff_va') return Promise.resolve(json(VA));
      if (path === '/affiliates') return Promise.resolve(json({ items: mine }));
      return Promise.resolve(json({ program_id: 'prg_1', primary_affiliate_id: 'aff_va' }, 201));
    },
  });
  render(
    <MemoryRouter>
      <ApiContext value={api}>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <EnrollPage affiliateId="aff_va" />
        </QueryClientProvider>
      </ApiContext>
    </MemoryRouter>,
  );
  return sent;
}

describe('enrolling a program with secondary affiliates', () => {
  it('offers the other affiliates the caller may list, and sends the ones ticked', async () => {
    const sent = renderPage([VA, NE]);
    const others = await screen.findByRole('group', { name: /Other affiliates serving the program/ });
    expect(screen.getAllByRole('checkbox').map((c) => c.id)).toEqual(['enroll-secondary-aff_ne']);
    expect(others.textContent).not.toContain('MENTOR Virginia');
    await userEvent.type(screen.getByLabelText('Program name'), 'Two Rivers');
    await userEvent.click(screen.getByLabelText(/MENTOR Nebraska/));
    await userEvent.click(screen.getByRole('button', { name: 'Enroll the program' }));
    const post = await sentPost(sent);
    expect(await post.clone().json()).toMatchObject({ primary_affiliate_id: 'aff_va', secondary_affiliate_ids: ['aff_ne'] });
  });

  it('offers no choice to the staff of one affiliate, and sends none', async () => {
    const sent = renderPage([VA]);
    await userEvent.type(await screen.findByLabelText('Program name'), 'Two Rivers');
    expect(screen.queryByRole('group', { name: /Other affiliates/ })).toBeNull();
    expect(screen.queryByRole('checkbox')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Enroll the program' }));
    const post = await sentPost(sent);
    expect(await post.clone().json()).toMatchObject({ secondary_affiliate_ids: [] });
  });
});

/** The enrolling POST, once sent. */
function sentPost(sent: Request[]): Promise<Request> {
  return vi.waitFor(() => {
    const post = sent.find((r) => r.method === 'POST');
    if (!post) throw new Error('no POST yet');
    return post;
  });
}
