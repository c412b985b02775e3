/** An affiliate's settings (versioned) and its suppressed mail addresses; every affiliate for national staff. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { conflictOrThrow, unwrap, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type Affiliate = Schemas['Affiliate'];
export type AffiliateSettingsIn = Schemas['AffiliateSettingsIn'];
export type Suppression = Schemas['Suppression'];
export type SettingsOutcome = { kind: 'saved'; affiliate: Affiliate } | { kind: 'conflict'; current: Affiliate | null };

/** PATCH only the changed fields at the version read; a 409 gives what a colleague saved. */
export function useSaveAffiliateSettings(affiliateId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, version }: { body: AffiliateSettingsIn; version: number }): Promise<SettingsOutcome> => {
      const result = await api.PATCH('/affiliates/{affiliateId}', {
        params: { path: { affiliateId }, header: { 'if-match': `"${version}"` } },
        body,
      });
      if (result.data) return { kind: 'saved', affiliate: result.data };
      return conflictOrThrow<Affiliate>(result);
    },
    onSuccess: (outcome) => {
      const fresh = outcome.kind === 'saved' ? outcome.affiliate : outcome.current;
      if (fresh) queryClient.setQueryData(['affiliates', affiliateId], fresh);
    },
  });
}

export function useMailSuppressions(affiliateId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['affiliates', affiliateId, 'mail-suppressions'],
    queryFn: async () => {
      const items: Suppression[] = [];
      let next: string | undefined;
      do {
        const page = unwrap(
          await api.GET('/affiliates/{affiliateId}/mail-suppressions', {
            params: { path: { affiliateId }, query: { limit: 100, next } },
          }),
        );
        items.push(...page.items);
        next = page.next ?? undefined;
      } while (next && items.length < 500);
      return items;
    },
  });
}

/** The affiliates the caller may see: their own, or every one for national staff. */
export function useAffiliates() {
  const api = useApi();
  return useQuery({
    queryKey: ['affiliates'],
    queryFn: async () => {
      const items: Affiliate[] = [];
      let next: string | undefined;
      do {
        const page = unwrap(await api.GET('/affiliates', { params: { query: { limit: 100, next } } }));
        items.push(...page.items);
        next = page.next ?? undefined;
      } while (next && items.length < 500);
      return items;
    },
  });
}
