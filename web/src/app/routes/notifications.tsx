import { PreferencesPage } from '@/features/preferences/components/preferences-page';

export default function NotificationsRoute() {
  return <PreferencesPage />;
}
