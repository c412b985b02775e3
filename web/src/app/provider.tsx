import { useEffect, useState, type ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { AppConfig } from '@/config/env';
import { createApiClient, createPublicApiClient } from '@/lib/api-client';
import { ApiContext, PublicApiContext } from '@/lib/api-context';
import { AuthProvider } from '@/lib/auth';
import { CognitoClient } from '@/lib/cognito';
import { Session } from '@/lib/session';
import { ApiError } from '@/lib/api-client';

export function AppProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const [session] = useState(() => new Session(new CognitoClient(config.cognitoEndpoint, config.userPoolClientId)));
  const [api] = useState(() => createApiClient(config.apiUrl, session));
  const [publicApi] = useState(() => createPublicApiClient(config.apiUrl));
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 30_000,
            retry: (count, error) => count < 2 && (!(error instanceof ApiError) || error.transient),
          },
        },
      }),
  );
  useEffect(() => {
    void session.resume();
  }, [session]);
  return (
    <AuthProvider session={session}>
      <ApiContext value={api}>
        <PublicApiContext value={publicApi}>
          <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
        </PublicApiContext>
      </ApiContext>
    </AuthProvider>
  );
}
