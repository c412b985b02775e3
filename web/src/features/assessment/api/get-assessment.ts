import { useQuery } from '@tanstack/react-query';
import { unwrap, type ApiClient, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type Assessment = Schemas['Assessment'];
export type AssessmentItem = Schemas['AssessmentItem'];
export type Answer = Schemas['Answer'];

export const assessmentKey = (cycleId: string) => ['cycles', cycleId, 'answers'] as const;

export async function getAssessment(api: ApiClient, cycleId: string): Promise<Assessment> {
  return unwrap(await api.GET('/cycles/{cycleId}/answers', { params: { path: { cycleId } } }));
}

export function useAssessment(cycleId: string) {
  const api = useApi();
  return useQuery({ queryKey: assessmentKey(cycleId), queryFn: () => getAssessment(api, cycleId) });
}

/** States in which the program's staff may change answers (shared/cycle.py ANSWERABLE). */
export const isAnswerable = (state: string) => state === 'open' || state === 'returned';
