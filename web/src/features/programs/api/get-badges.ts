import { useQuery } from '@tanstack/react-query';
import { unwrap } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export function useProgramBadges(programId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['programs', programId, 'badges'],
    queryFn: async () =>
      unwrap(await api.GET('/programs/{programId}/badges', { params: { path: { programId } } })),
  });
}
