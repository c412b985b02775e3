/** The Improvement and Innovation Plan: its text, its goals and their life. */
import { useQuery } from '@tanstack/react-query';
import { conflictOrThrow, unwrap, type ApiClient, type Schemas } from '@/lib/api-client';
import { useApi, useApiMutation } from '@/lib/api-context';

export type Plan = Schemas['Plan'];
export type Goal = Schemas['Goal'];
export type GoalIn = Schemas['GoalIn'];
export type PlanText = Schemas['PlanText'];
export type PlanTextIn = Schemas['PlanTextIn'];
export const AREAS = [
  ['management', 'Program management'],
  ['operations', 'Program operations'],
  ['evaluation', 'Program evaluation'],
] as const;

const planKey = (cycleId: string) => ['cycles', cycleId, 'plan'] as const;

export function usePlan(cycleId: string) {
  const api = useApi();
  return useQuery({
    queryKey: planKey(cycleId),
    queryFn: async () => unwrap(await api.GET('/cycles/{cycleId}/plan', { params: { path: { cycleId } } })),
  });
}

export type TextOutcome = { kind: 'saved'; text: PlanText } | { kind: 'conflict'; current: PlanText | null };

/** PUT the text at the version read; a 409 gives the colleague's text. */
export async function savePlanText(api: ApiClient, cycleId: string, body: PlanTextIn, version: number): Promise<TextOutcome> {
  const result = await api.PUT('/cycles/{cycleId}/plan', {
    params: { path: { cycleId }, header: version === 0 ? {} : { 'if-match': `"${version}"` } },
    body,
  });
  if (result.data) return { kind: 'saved', text: result.data };
  return conflictOrThrow<PlanText>(result);
}

function usePlanMutation<V, R>(cycleId: string, run: (api: ApiClient, vars: V) => Promise<R>) {
  return useApiMutation(run, [planKey(cycleId), ['cycles', cycleId, 'answers']]);
}

export function useSavePlanText(cycleId: string) {
  return usePlanMutation(cycleId, (api, v: { body: PlanTextIn; version: number }) => savePlanText(api, cycleId, v.body, v.version));
}

export function useSaveGoal(cycleId: string) {
  return usePlanMutation(cycleId, async (api, v: { body: GoalIn; goal: Goal | null }) =>
    v.goal
      ? unwrap(
          await api.PUT('/cycles/{cycleId}/plan/goals/{goalId}', {
            params: { path: { cycleId, goalId: v.goal.goal_id }, header: { 'if-match': `"${v.goal.version}"` } },
            body: v.body,
          }),
        )
      : unwrap(await api.POST('/cycles/{cycleId}/plan/goals', { params: { path: { cycleId } }, body: v.body })),
  );
}

export function useFinalizePlan(cycleId: string) {
  return usePlanMutation(cycleId, async (api: ApiClient) =>
    unwrap(await api.POST('/cycles/{cycleId}/plan/finalize', { params: { path: { cycleId } } })),
  );
}

export type GoalStep =
  | { step: 'progress'; note: string }
  | { step: 'complete'; note: string }
  | { step: 'verify'; achieved_rating: number; note: string }
  | { step: 'send-back'; comment: string };

export function useGoalStep(cycleId: string, goalId: string) {
  return usePlanMutation(cycleId, async (api, v: GoalStep) => {
    const path = { cycleId, goalId };
    switch (v.step) {
      case 'progress':
        return unwrap(await api.POST('/cycles/{cycleId}/plan/goals/{goalId}/progress', { params: { path }, body: { note: v.note } }));
      case 'complete':
        return unwrap(await api.POST('/cycles/{cycleId}/plan/goals/{goalId}/complete', { params: { path }, body: { note: v.note } }));
      case 'verify':
        return unwrap(
          await api.POST('/cycles/{cycleId}/plan/goals/{goalId}/verify', {
            params: { path },
            body: { achieved_rating: v.achieved_rating, note: v.note || null },
          }),
        );
      case 'send-back':
        return unwrap(await api.POST('/cycles/{cycleId}/plan/goals/{goalId}/send-back', { params: { path }, body: { comment: v.comment } }));
    }
  });
}
