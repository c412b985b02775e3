import { useQuery } from '@tanstack/react-query';
import { unwrap, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type ItemReview = Schemas['ItemReview'];

/** The affiliate's review as the program sees it (never internal notes), refreshed each minute. */
export function useReview(cycleId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ['cycles', cycleId, 'review'],
    enabled,
    refetchInterval: 60_000,
    retry: false,
    queryFn: async () => unwrap(await api.GET('/cycles/{cycleId}/review', { params: { path: { cycleId } } })),
  });
}
