/** Staff of an affiliate or a program: invite (a new account at once, an existing one pending), remove. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type MemberIn = Schemas['MemberIn'];
export type Scope = { kind: 'affiliate' | 'program'; id: string };

const membersKey = (scope: Scope) => [scope.kind === 'affiliate' ? 'affiliates' : 'programs', scope.id, 'members'];

export function useInvite(scope: Scope) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: MemberIn) => {
      const header = { 'idempotency-key': crypto.randomUUID() };
      return scope.kind === 'affiliate'
        ? unwrap(await api.POST('/affiliates/{affiliateId}/members', { params: { path: { affiliateId: scope.id }, header }, body }))
        : unwrap(await api.POST('/programs/{programId}/members', { params: { path: { programId: scope.id }, header }, body }));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersKey(scope) }),
  });
}

/** Remove a member; ``confirmNoStaff`` once the API said it is the last one and the person confirmed. */
export function useRemoveMember(scope: Scope) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ userId, confirmNoStaff }: { userId: string; confirmNoStaff?: boolean }) => {
      const query = confirmNoStaff ? { confirmNoStaff: true } : {};
      if (scope.kind === 'affiliate') {
        unwrap(await api.DELETE('/affiliates/{affiliateId}/members/{userId}', { params: { path: { affiliateId: scope.id, userId }, query } }));
      } else {
        unwrap(await api.DELETE('/programs/{programId}/members/{userId}', { params: { path: { programId: scope.id, userId }, query } }));
      }
    },
    // Not awaited: someone who left is sent home by the caller's own onSuccess before the list,
    // now not theirs to see, comes back 404. Who I am changes too (one membership fewer).
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: membersKey(scope) });
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      if (scope.kind === 'program') void queryClient.invalidateQueries({ queryKey: ['programs'], exact: true });
    },
  });
}
