import { useQuery } from '@tanstack/react-query';
import { unwrap, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type Instrument = Schemas['InstrumentDetail'];

export function useInstrument(version: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['instruments', version],
    enabled: version !== undefined,
    staleTime: Infinity,
    queryFn: async () =>
      unwrap(await api.GET('/instruments/{version}', { params: { path: { version: version ?? 1 } } })),
  });
}
