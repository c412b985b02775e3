import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import createClient from 'openapi-fetch';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { paths } from '@/types/api.gen';
import { ApiContext } from '@/lib/api-context';
import type { NationalAggregate } from '../api/aggregates';
import { NationalAggregatePage } from './national-aggregate-page';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

const INSTRUMENT = {
  key: 'nqms',
  version: 1,
  title: 'NQMS',
  item_count: 1,
  items: [],
  parts: [{ id: 'design', title: 'Program design' }],
  sections: [{ letter: 'A', title: 'Recruitment', part: 'design' }],
};
const AFFILIATES = {
  items: [
    { affiliate_id: 'aff_va', name: 'MENTOR Virginia', state: 'VA' },
    { affiliate_id: 'aff_ne', name: 'MENTOR Nebraska', state: 'NE' },
  ],
};
const NATIONAL: NationalAggregate = {
  aggregate: {
    scope: 'country',
    period: 'all',
    instrument_key: 'nqms',
    instrument_version: 1,
    withheld: false,
    programs: 9,
    cycles: 11,
    sections: [
      { letter: 'A', title: 'Recruitment', average_rating: 3.4, share_in_place: 1, items: [{ code: 'A1', key: 'a1', in_practice: { yes: 9 }, ratings: { '3': 6, '4': 3 } }] },
    ],
  },
  grid: [
    { scope: 'country', period: 'all', programs: 9, withheld: false },
    { scope: 'aff_va', period: 'all', programs: 6, withheld: false },
    { scope: 'aff_ne', period: 'all', programs: null, withheld: true },
    { scope: 'country', period: '2025', programs: 0, withheld: false },
  ],
};

function renderPage(answer: (path: string, url: URL) => Response) {
  const asked: URL[] = [];
  const api = createClient<paths>({
    baseUrl: 'https://api.test',
    fetch: (r: Request) => {
      const url = new URL(r.url);
      asked.push(url);
      return Promise.resolve(answer(url.pathname, url));
    },
  });
  render(
    <MemoryRouter initialEntries={['/aggregates?period=all']}>
      <ApiContext value={api}>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <NationalAggregatePage />
        </QueryClientProvider>
      </ApiContext>
    </MemoryRouter>,
  );
  return asked;
}

const common = (path: string): Response | null =>
  path === '/instruments'
    ? json({ items: [{ key: 'nqms', version: 1, title: 'NQMS', item_count: 1 }] })
    : path === '/instruments/1'
      ? json(INSTRUMENT)
      : path === '/affiliates'
        ? json(AFFILIATES)
        : null;

describe("the country's findings", () => {
  it('shows the figures, and the programs counted per affiliate for the period (the country first)', async () => {
    const asked = renderPage((path) => common(path) ?? json(NATIONAL));
    const counted = await screen.findByRole('table', { name: 'Programs counted, per affiliate (any year)' });
    const rows = within(counted).getAllByRole('row').map((r) => r.textContent);
    expect(rows).toEqual(['AffiliatePrograms counted', 'The whole country9', 'MENTOR Nebraska' + 'Withheld', 'MENTOR Virginia6']);
    const sectionA = within(screen.getByTestId('section-A')).getAllByRole('cell').map((c) => c.textContent.trim());
    expect(sectionA).toEqual(['3.4', '100%']);
    const read = asked.find((u) => u.pathname === '/aggregates');
    expect(read?.searchParams.get('instrumentVersion')).toBe('1');
    expect(read?.searchParams.get('period')).toBe('all');
  });

  it("says the API's 403 under the page's title, with no table", async () => {
    renderPage(
      (path) =>
        common(path) ??
        json({ title: 'Forbidden', status: 403, detail: "National staff may not read the country's aggregate findings." }, 403),
    );
    expect(await screen.findByRole('heading', { name: 'Not yours to read' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Findings across the country');
    expect(screen.getByText(/may not read the country's aggregate findings/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
