import { useQuery } from '@tanstack/react-query';
import { unwrap, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type CycleProgress = Schemas['CycleProgress'];

/** The program's submitted cycles, oldest first, with each section's figures. */
export function useProgramProgress(programId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['programs', programId, 'progress'],
    queryFn: async () => unwrap(await api.GET('/programs/{programId}/progress', { params: { path: { programId } } })),
  });
}
