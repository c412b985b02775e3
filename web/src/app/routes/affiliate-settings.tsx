import { useParams } from 'react-router';
import { SettingsPage } from '@/features/admin/components/settings-page';

export default function AffiliateSettingsRoute() {
  const { affiliateId = '' } = useParams();
  return <SettingsPage affiliateId={affiliateId} />;
}
