import { useQuery } from '@tanstack/react-query';
import { unwrap } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export function useReadiness(cycleId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['cycles', cycleId, 'readiness'],
    queryFn: async () => unwrap(await api.GET('/cycles/{cycleId}/readiness', { params: { path: { cycleId } } })),
  });
}
