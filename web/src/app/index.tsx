import type { AppConfig } from '@/config/env';
import { AppProvider } from './provider';
import { AppRouter } from './router';

export function App({ config }: { config: AppConfig }) {
  return (
    <AppProvider config={config}>
      <AppRouter />
    </AppProvider>
  );
}
