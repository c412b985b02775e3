/** The signed-in person's own pending invitations to more programs or affiliates. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type Invitation = Schemas['Invitation'];

export function useMyInvitations() {
  const api = useApi();
  return useQuery({
    queryKey: ['me', 'invitations'],
    staleTime: 60_000,
    queryFn: async () => unwrap(await api.GET('/me/invitations')).items,
  });
}

export function useAnswerInvitation() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ invitationId, accept }: { invitationId: string; accept: boolean }) => {
      const params = { path: { invitationId } };
      return accept
        ? unwrap(await api.POST('/me/invitations/{invitationId}/accept', { params }))
        : unwrap(await api.POST('/me/invitations/{invitationId}/decline', { params }));
    },
    // An accepted invitation is a new membership: who I am and my programs change.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['me'] }),
        queryClient.invalidateQueries({ queryKey: ['programs'] }),
      ]),
  });
}
