import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, unwrap, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type Affiliate = Schemas['Affiliate'];
export type Member = Schemas['Member'];

export function useAffiliate(affiliateId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['affiliates', affiliateId],
    enabled: Boolean(affiliateId),
    staleTime: 5 * 60_000,
    queryFn: async () =>
      unwrap(await api.GET('/affiliates/{affiliateId}', { params: { path: { affiliateId: affiliateId ?? '' } } })),
  });
}

/** The programs of one affiliate (the first 200: an affiliate has dozens). */
export function useAffiliatePrograms(affiliateId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['programs', 'of', affiliateId],
    enabled: Boolean(affiliateId),
    queryFn: async () => {
      const items: Schemas['ProgramSummary'][] = [];
      let next: string | undefined;
      do {
        const page = unwrap(
          await api.GET('/programs', { params: { query: { affiliateId: affiliateId ?? '', limit: 100, next } } }),
        );
        items.push(...page.items);
        next = page.next ?? undefined;
      } while (next && items.length < 200);
      return items;
    },
  });
}

export function useAffiliateMembers(affiliateId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['affiliates', affiliateId, 'members'],
    enabled: Boolean(affiliateId),
    queryFn: async () =>
      unwrap(
        await api.GET('/affiliates/{affiliateId}/members', {
          params: { path: { affiliateId: affiliateId ?? '' }, query: { limit: 100 } },
        }),
      ).items,
  });
}

export function useProgramMembers(programId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['programs', programId, 'members'],
    enabled: Boolean(programId),
    queryFn: async () =>
      unwrap(
        await api.GET('/programs/{programId}/members', {
          params: { path: { programId: programId ?? '' }, query: { limit: 100 } },
        }),
      ).items,
  });
}

/** The readiness rule refused the cycle: the program has matched for under a year. */
export type ReadinessWarning = { warning: string; months: number };

export function readinessWarning(error: unknown): ReadinessWarning | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const warning = error.problem?.warning;
  return typeof warning === 'string' ? { warning, months: Number(error.problem?.months ?? 0) } : null;
}

/** Open a cycle (affiliate staff), with an override reason when the readiness rule warns. */
export function useOpenCycle(programId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    // One key per attempt: the button is disabled while it runs, and a second attempt (with an
    // override reason) is another body, which must not reuse the first key.
    mutationFn: async (body: { readiness_override_reason?: string; due_date?: string }) =>
      unwrap(
        await api.POST('/programs/{programId}/cycles', {
          params: { path: { programId }, header: { 'idempotency-key': crypto.randomUUID() } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['programs', programId, 'cycles'] }),
  });
}
