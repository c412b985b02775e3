import { useParams } from 'react-router';
import { SubmitPage } from '@/features/assessment/components/submit-page';

export default function SubmitRoute() {
  const { cycleId = '' } = useParams();
  return <SubmitPage cycleId={cycleId} />;
}
