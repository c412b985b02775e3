import { useParams } from 'react-router';
import { EnrollPage } from '@/features/admin/components/enroll-page';

export default function EnrollRoute() {
  const { affiliateId = '' } = useParams();
  return <EnrollPage affiliateId={affiliateId} />;
}
