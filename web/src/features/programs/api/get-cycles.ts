import { useQuery } from '@tanstack/react-query';
import { unwrap } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export function useProgramCycles(programId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['programs', programId, 'cycles'],
    queryFn: async () =>
      unwrap(await api.GET('/programs/{programId}/cycles', { params: { path: { programId } } })),
  });
}
