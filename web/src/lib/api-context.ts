import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createContext, use } from 'react';
import type { ApiClient } from './api-client';

export const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = use(ApiContext);
  if (!api) throw new Error('useApi outside AppProvider');
  return api;
}

/** The client for the API's public routes, usable signed out. */
export const PublicApiContext = createContext<ApiClient | null>(null);

export function usePublicApi(): ApiClient {
  const api = use(PublicApiContext);
  if (!api) throw new Error('usePublicApi outside AppProvider');
  return api;
}

/**
 * A mutation through the signed-in client that refreshes the queries under each of ``refresh``'s
 * keys once it succeeds (waited for, so the page shows the new state when the mutation settles).
 */
export function useApiMutation<V, R>(run: (api: ApiClient, vars: V) => Promise<R>, refresh: readonly (readonly unknown[])[]) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (vars: V) => run(api, vars),
    onSuccess: async () => {
      await Promise.all(refresh.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  });
}
