import { conflictOrThrow, type ApiClient, type Schemas } from '@/lib/api-client';

export type AnswerIn = Schemas['AnswerIn'];
export type SaveOutcome =
  | { kind: 'saved'; answer: Schemas['Answer'] }
  | { kind: 'conflict'; current: Schemas['Answer'] | null };

/** PUT the answer with the version read (If-Match); a 409 gives the colleague's answer. */
export async function saveAnswer(
  api: ApiClient,
  cycleId: string,
  itemCode: string,
  body: AnswerIn,
  version: number | null,
): Promise<SaveOutcome> {
  const result = await api.PUT('/cycles/{cycleId}/answers/{itemCode}', {
    params: {
      path: { cycleId, itemCode },
      header: version === null ? {} : { 'if-match': `"${version}"` },
    },
    body,
  });
  if (result.data) return { kind: 'saved', answer: result.data };
  return conflictOrThrow<Schemas['Answer']>(result);
}
