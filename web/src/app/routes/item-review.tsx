import { useParams } from 'react-router';
import { ItemReviewPage } from '@/features/review/components/item-review-page';

export default function ItemReviewRoute() {
  const { cycleId = '', code = '' } = useParams();
  return <ItemReviewPage cycleId={cycleId} code={code} />;
}
