import { useParams } from 'react-router';
import { ReviewPage } from '@/features/review/components/review-page';

export default function ReviewRoute() {
  const { cycleId = '' } = useParams();
  return <ReviewPage cycleId={cycleId} />;
}
