import { useParams } from 'react-router';
import { AggregatePage } from '@/features/reports/components/aggregate-page';

export default function AggregatesRoute() {
  const { affiliateId = '' } = useParams();
  return <AggregatePage affiliateId={affiliateId} />;
}
