import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

/** Submit with an Idempotency-Key fixed for this page: a double click submits once. */
export function useSubmitCycle(cycleId: string, idempotencyKey: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/cycles/{cycleId}/submit', {
          params: { path: { cycleId }, header: { 'idempotency-key': idempotencyKey } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['cycles', cycleId] }),
  });
}
