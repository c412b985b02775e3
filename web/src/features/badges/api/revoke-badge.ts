import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

/** Revoke a badge with a reason (staff of the program's affiliates). */
export function useRevokeBadge(programId: string, badgeId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (reason: string) =>
      unwrap(await api.POST('/badges/{badgeId}/revoke', { params: { path: { badgeId } }, body: { reason } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['programs', programId, 'badges'] }),
  });
}
