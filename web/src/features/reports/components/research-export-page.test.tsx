import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import createClient from 'openapi-fetch';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { paths } from '@/types/api.gen';
import { ApiContext } from '@/lib/api-context';
import type { ResearchExport } from '../api/research-export';
import { ResearchExportPage } from './research-export-page';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

const INSTRUMENTS = {
  items: [
    { key: 'nqms', version: 1, title: 'NQMS', item_count: 92 },
    { key: 'nqms', version: 2, title: 'NQMS', item_count: 94 },
  ],
};
const REQUESTED: ResearchExport = {
  export_id: 'rex_0123456789abcdef0123',
  state: 'requested',
  instrument_key: 'nqms',
  instrument_version: 2,
  requested_at: new Date().toISOString(),
  requested_by: 'usr_1',
};
const READY: ResearchExport = {
  ...REQUESTED,
  state: 'ready',
  rows: 7,
  ready_at: new Date().toISOString(),
  download_url: 'https://reports.s3.test/research-exports/rex/export.csv?X-Amz-Signature=abc',
  codebook_url: 'https://reports.s3.test/research-exports/rex/codebook.csv?X-Amz-Signature=def',
};

function renderPage(answer: (r: Request) => Response) {
  const api = createClient<paths>({ baseUrl: 'https://api.test', fetch: (r: Request) => Promise.resolve(answer(r)) });
  render(
    <MemoryRouter initialEntries={['/research-exports']}>
      <ApiContext value={api}>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <ResearchExportPage />
        </QueryClientProvider>
      </ApiContext>
    </MemoryRouter>,
  );
}

describe('the research export page', () => {
  it('requests the chosen version, asks again until the job made it, then downloads through a fresh link', async () => {
    const requests: Request[] = [];
    let reads = 0;
    renderPage((r) => {
      requests.push(r);
      const path = new URL(r.url).pathname;
      if (path === '/instruments') return json(INSTRUMENTS);
      if (path === '/research-exports' && r.method === 'POST') return json(REQUESTED, 202);
      reads += 1;
      return json(reads === 1 ? REQUESTED : READY);
    });
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    // The newest version is offered first.
    expect(await screen.findByLabelText('Instrument version')).toHaveProperty('value', '2');
    await userEvent.click(screen.getByRole('button', { name: 'Request the export' }));
    expect((await screen.findByRole('status')).textContent).toContain('Being made');
    const post = requests.find((r) => r.method === 'POST');
    expect(await post?.clone().json()).toEqual({ instrument_version: 2 });
    expect(post?.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);

    // The page reads the export again (every 2 s) until it is ready.
    await vi.waitFor(() => { expect(screen.getByRole('status').textContent).toContain('Ready: 7 self-assessments exported'); }, {
      timeout: 5_000,
    });
    const before = reads;
    await userEvent.click(screen.getByRole('button', { name: 'Download the export (CSV)' }));
    await vi.waitFor(() => { expect(clicked).toHaveLength(1); });
    expect(reads, 'a fresh link read with the token').toBe(before + 1);
    expect(clicked[0]?.href).toBe(READY.download_url);
    expect(requests.every((r) => !r.url.startsWith('https://reports.s3.test'))).toBe(true);
  });

  it('shows a 403 beside the button, and follows no export', async () => {
    renderPage((r) => {
      if (new URL(r.url).pathname === '/instruments') return json(INSTRUMENTS);
      return json({ title: 'Forbidden', status: 403, detail: 'National staff may not request the research export without the results grant.' }, 403);
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Request the export' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('You may not do this');
    expect(alert.textContent).toContain('without the results grant');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('shows a 422 beside the version it names', async () => {
    renderPage((r) => {
      if (new URL(r.url).pathname === '/instruments') return json(INSTRUMENTS);
      return json(
        { title: 'Invalid', status: 422, detail: 'Invalid input', errors: [{ field: 'body.instrument_version', message: 'Input should be greater than or equal to 1' }] },
        422,
      );
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Request the export' }));
    expect((await screen.findByRole('alert')).textContent).toBe('At least 1.');
    expect(screen.getByLabelText('Instrument version').getAttribute('aria-invalid')).toBe('true');
  });
});
