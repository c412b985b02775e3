import { useParams } from 'react-router';
import { ItemPage } from '@/features/assessment/components/item-page';

export function ItemRoute() {
  const { cycleId = '', code = '' } = useParams();
  return <ItemPage key={code} cycleId={cycleId} code={code} />;
}
