import { useQuery, useQueryClient, useMutation } from '@tanstack/react-query';
import { ApiError, unwrap, type ApiClient, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type EvidenceDocument = Schemas['EvidenceDocument'];
export type ContentType = Schemas['EvidenceUploadIn']['content_type'];

/** The types the API accepts (EvidenceUploadIn), by file extension, with a name for people. */
export const ACCEPTED: { type: ContentType; ext: string[]; name: string }[] = [
  { type: 'application/pdf', ext: ['pdf'], name: 'PDF' },
  { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: ['docx'], name: 'Word' },
  { type: 'application/msword', ext: ['doc'], name: 'Word' },
  { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: ['xlsx'], name: 'Excel' },
  { type: 'application/vnd.ms-excel', ext: ['xls'], name: 'Excel' },
  { type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ext: ['pptx'], name: 'PowerPoint' },
  { type: 'text/plain', ext: ['txt'], name: 'text' },
  { type: 'text/csv', ext: ['csv'], name: 'CSV' },
  { type: 'image/png', ext: ['png'], name: 'PNG' },
  { type: 'image/jpeg', ext: ['jpg', 'jpeg'], name: 'JPEG' },
];
/** The API's default limit (EVIDENCE_MAX_BYTES); a larger file is refused before uploading. */
export const MAX_BYTES = 25 * 1024 * 1024;

export function contentTypeOf(file: { name: string; type: string }): ContentType | null {
  const byType = ACCEPTED.find((a) => a.type === file.type);
  if (byType) return byType.type;
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return ACCEPTED.find((a) => a.ext.includes(ext))?.type ?? null;
}

export const evidenceKey = (programId: string) => ['programs', programId, 'evidence'] as const;

export function useEvidence(programId: string) {
  const api = useApi();
  return useQuery({
    queryKey: evidenceKey(programId),
    queryFn: async () =>
      unwrap(
        await api.GET('/programs/{programId}/evidence', { params: { path: { programId }, query: { limit: 100 } } }),
      ),
  });
}

/** POST the presigned form with the file last, reporting progress (fetch cannot). */
function postForm(
  url: string,
  fields: Record<string, string>,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', file);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(new ApiError(xhr.status, { detail: 'The file storage refused the upload.' }));
    };
    xhr.onerror = () => {
      reject(new ApiError(0, null));
    };
    xhr.send(form);
  });
}

export type UploadInput = { file: File; title: string; items: string[] };

/** Start the upload, send the file to storage, confirm it, link it to the items. */
export async function uploadEvidence(
  api: ApiClient,
  programId: string,
  input: UploadInput,
  onProgress: (fraction: number) => void,
): Promise<EvidenceDocument> {
  const contentType = contentTypeOf(input.file);
  if (!contentType) throw new ApiError(422, { detail: 'This type of file is not accepted.' });
  const started = unwrap(
    await api.POST('/programs/{programId}/evidence', {
      params: { path: { programId } },
      body: {
        filename: input.file.name,
        content_type: contentType,
        size_bytes: input.file.size,
        ...(input.title ? { title: input.title } : {}),
      },
    }),
  );
  await postForm(started.upload.url, started.upload.fields, input.file, onProgress);
  const documentId = started.document_id;
  let document = unwrap(
    await api.POST('/programs/{programId}/evidence/{documentId}/confirm', {
      params: { path: { programId, documentId } },
    }),
  );
  if (input.items.length > 0) {
    document = unwrap(
      await api.PUT('/programs/{programId}/evidence/{documentId}/links', {
        params: { path: { programId, documentId }, header: { 'if-match': `"${document.version}"` } },
        body: { items: input.items },
      }),
    );
  }
  return document;
}

export function useDeleteEvidence(programId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (documentId: string) => {
      const result = await api.DELETE('/programs/{programId}/evidence/{documentId}', {
        params: { path: { programId, documentId } },
      });
      if (!result.response.ok) throw new ApiError(result.response.status, null);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: evidenceKey(programId) }),
  });
}

export async function downloadUrl(api: ApiClient, programId: string, documentId: string): Promise<string> {
  const link = unwrap(
    await api.GET('/programs/{programId}/evidence/{documentId}/download', {
      params: { path: { programId, documentId } },
    }),
  );
  return link.url;
}
