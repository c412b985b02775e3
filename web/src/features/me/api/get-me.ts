import { useQuery } from '@tanstack/react-query';
import { unwrap, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type Me = Schemas['Me'];

/** Who is signed in: roles and memberships (GET /me), kept for the session. */
export function useMe() {
  const api = useApi();
  return useQuery({
    queryKey: ['me'],
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await api.GET('/me')),
  });
}

/** The affiliates the person is staff of. */
export function affiliateIdsOf(me: Me): string[] {
  return me.memberships.filter((m) => m.scope === 'affiliate' && m.scope_id).map((m) => m.scope_id as string);
}

/** Staff of one of the affiliates serving this program (the API decides; this only picks the screens). */
export function servesProgram(me: Me, program: { primary_affiliate_id: string; secondary_affiliate_ids?: string[] }): boolean {
  const mine = new Set(affiliateIdsOf(me));
  return mine.has(program.primary_affiliate_id) || (program.secondary_affiliate_ids ?? []).some((a) => mine.has(a));
}

export const isAffiliateStaff = (me: Me) => me.roles.includes('affiliate-staff') && affiliateIdsOf(me).length > 0;
