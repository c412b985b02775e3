import { useQuery } from '@tanstack/react-query';
import { unwrap } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export function usePrograms() {
  const api = useApi();
  return useQuery({
    queryKey: ['programs'],
    queryFn: async () => unwrap(await api.GET('/programs', { params: { query: { limit: 100 } } })),
  });
}

export function useProgram(programId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['programs', programId],
    enabled: programId !== '',
    queryFn: async () => unwrap(await api.GET('/programs/{programId}', { params: { path: { programId } } })),
  });
}
