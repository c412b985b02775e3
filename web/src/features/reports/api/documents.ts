import { useMutation } from '@tanstack/react-query';
import { unwrap, type ApiClient, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type DocumentLink = Schemas['DocumentLink'];

/** The cycle's documents: the report service makes each on request and answers a short link. */
export type DocumentKind = 'assessment.pdf' | 'assessment-goals.pdf' | 'assessment.csv' | 'plan.pdf' | 'goals.csv';

async function requestLink(api: ApiClient, cycleId: string, kind: DocumentKind): Promise<DocumentLink> {
  const path = { path: { cycleId } };
  switch (kind) {
    case 'assessment.pdf':
      return unwrap(await api.GET('/cycles/{cycleId}/documents/assessment.pdf', { params: path }));
    case 'assessment-goals.pdf':
      return unwrap(
        await api.GET('/cycles/{cycleId}/documents/assessment.pdf', { params: { ...path, query: { goals: true } } }),
      );
    case 'assessment.csv':
      return unwrap(await api.GET('/cycles/{cycleId}/documents/assessment.csv', { params: path }));
    case 'plan.pdf':
      return unwrap(await api.GET('/cycles/{cycleId}/documents/plan.pdf', { params: path }));
    case 'goals.csv':
      return unwrap(await api.GET('/cycles/{cycleId}/documents/goals.csv', { params: path }));
  }
}

/**
 * Download a document: the link is asked for with the token, then the browser fetches the
 * presigned URL itself, with no Authorization header (storage answers it as an attachment, so
 * the page stays where it is).
 */
export function useDownloadDocument(cycleId: string, kind: DocumentKind) {
  const api = useApi();
  return useMutation({
    mutationFn: async () => {
      const link = await requestLink(api, cycleId, kind);
      const anchor = document.createElement('a');
      anchor.href = link.url;
      anchor.download = link.filename;
      anchor.rel = 'noopener';
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      return link;
    },
  });
}

/** "PDF", "CSV": the kind of file, from its content type. */
export function fileType(contentType: string): string {
  const base = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (base === 'application/pdf') return 'PDF';
  if (base === 'text/csv') return 'CSV';
  return base.split('/')[1]?.toUpperCase() ?? 'file';
}

/** "812 bytes", "48 KB", "2.4 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} bytes`;
  if (bytes < 1024 * 1024) return `${String(Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
