import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import createClient from 'openapi-fetch';
import { describe, expect, it, vi } from 'vitest';
import type { paths } from '@/types/api.gen';
import { ApiContext } from '@/lib/api-context';
import { DocumentsPanel } from './documents-panel';

const LINK = {
  url: 'https://reports.s3.test/documents/prg/cyc/assessment-1.pdf?X-Amz-Signature=abc',
  expires_at: '2026-12-07T16:45:00Z',
  filename: 'Richmond NQMS self-assessment 2026.pdf',
  content_type: 'application/pdf',
  size_bytes: 49_152,
};

describe('the documents panel', () => {
  it('asks the API for the link, then has the browser fetch the presigned URL, and says type and size', async () => {
    let release: () => void = () => undefined;
    const answered = new Promise<void>((r) => { release = r; });
    const requests: Request[] = [];
    const api = createClient<paths>({
      baseUrl: 'https://api.test',
      fetch: async (request: Request) => {
        requests.push(request);
        await answered;
        return new Response(JSON.stringify(LINK), { status: 200, headers: { 'Content-Type': 'application/json' } });
      },
    });
    const clicked: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    render(
      <ApiContext value={api}>
        <QueryClientProvider client={new QueryClient()}>
          <DocumentsPanel cycleId="cyc_1" kinds={['assessment.pdf', 'assessment-goals.pdf']} />
        </QueryClientProvider>
      </ApiContext>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Download Self-assessment with the goals (PDF)' }));
    const busy = screen.getByRole('button', { name: 'Preparing… Self-assessment with the goals (PDF)' });
    expect(busy.getAttribute('aria-busy')).toBe('true');
    expect((busy as HTMLButtonElement).disabled).toBe(true);
    release();
    expect(await screen.findByText('Downloaded: PDF, 48 KB')).toBeTruthy();
    expect(requests.map((r) => r.url)).toEqual(['https://api.test/cycles/cyc_1/documents/assessment.pdf?goals=true']);
    expect(clicked).toHaveLength(1);
    expect(clicked[0]?.href).toBe(LINK.url);
    expect(clicked[0]?.download).toBe(LINK.filename);
    expect(screen.getByRole('button', { name: 'Download again Self-assessment with the goals (PDF)' })).toBeTruthy();
    // The other document was not asked for.
    expect(screen.getByRole('button', { name: 'Download Self-assessment (PDF)' })).toBeTruthy();
    click.mockRestore();
  });
});
