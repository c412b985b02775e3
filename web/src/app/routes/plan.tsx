import { useParams } from 'react-router';
import { PlanPage } from '@/features/plan/components/plan-page';

export default function PlanRoute() {
  const { cycleId = '' } = useParams();
  return <PlanPage cycleId={cycleId} />;
}
