import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type PreferencesIn = Schemas['PreferencesIn'];

const KEY = ['me', 'notification-preferences'];

export function usePreferences() {
  const api = useApi();
  return useQuery({
    queryKey: KEY,
    queryFn: async () => unwrap(await api.GET('/me/notification-preferences')),
  });
}

/** The whole set replaces the stored one (a person's own record). */
export function useSavePreferences() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: PreferencesIn) => unwrap(await api.PUT('/me/notification-preferences', { body })),
    onSuccess: (saved) => {
      client.setQueryData(KEY, saved);
    },
  });
}
