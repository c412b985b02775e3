import { useParams } from 'react-router';
import { AffiliateMembersPage } from '@/features/admin/components/members-page';

export default function AffiliateStaffRoute() {
  const { affiliateId = '' } = useParams();
  return <AffiliateMembersPage affiliateId={affiliateId} />;
}
