import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type ProgramIn = Schemas['ProgramIn'];

/** Enroll a program (staff of its primary affiliate). One key per attempt: a changed form is another body. */
export function useEnrollProgram() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ProgramIn) =>
      unwrap(await api.POST('/programs', { params: { header: { 'idempotency-key': crypto.randomUUID() } }, body })),
    onSuccess: (program) => queryClient.invalidateQueries({ queryKey: ['programs', 'of', program.primary_affiliate_id] }),
  });
}
