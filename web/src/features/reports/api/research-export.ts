/** The de-identified research export (national staff, results grant): requested, made by a job, then downloaded. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type ResearchExport = Schemas['ResearchExport'];

/** How often the page asks whether the job has made the files. */
export const POLL_MS = 2_000;
/** The job runs 15 minutes at most: an export still requested after that will not be made. */
export const JOB_MINUTES = 15;

const late = (data: ResearchExport | undefined, readAt: number) =>
  data !== undefined && readAt - Date.parse(data.requested_at) > JOB_MINUTES * 60_000;

/** Request an export of an instrument version: 202 at once, the job makes the files. One key per attempt. */
export function useRequestResearchExport() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (instrumentVersion: number) =>
      unwrap(
        await api.POST('/research-exports', {
          params: { header: { 'idempotency-key': crypto.randomUUID() } },
          body: { instrument_version: instrumentVersion },
        }),
      ),
    // The 202's answer is the export's first state: shown at once, then read again.
    onSuccess: (made) => { queryClient.setQueryData(['research-exports', made.export_id], made); },
  });
}

/** An export's state, read again every POLL_MS until it is ready or late (its links are read again on each download). */
export function useResearchExport(exportId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: ['research-exports', exportId],
    enabled: exportId !== null,
    refetchInterval: (query) => {
      const { data, dataUpdatedAt, status } = query.state;
      return data?.state === 'ready' || status === 'error' || late(data, dataUpdatedAt) ? false : POLL_MS;
    },
    queryFn: async () =>
      unwrap(await api.GET('/research-exports/{exportId}', { params: { path: { exportId: exportId ?? '' } } })),
  });
}

/**
 * Download the export's CSV or its codebook: fresh links are asked for with the token (they last a
 * few minutes), then the browser fetches the presigned URL itself, with no Authorization header.
 */
export function useDownloadResearchExport(exportId: string, file: 'download_url' | 'codebook_url') {
  const api = useApi();
  return useMutation({
    mutationFn: async () => {
      const current = unwrap(await api.GET('/research-exports/{exportId}', { params: { path: { exportId } } }));
      const url = current[file];
      if (!url) throw new Error('The export is not ready yet.');
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.rel = 'noopener';
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      return current;
    },
  });
}
