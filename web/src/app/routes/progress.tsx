import { useParams } from 'react-router';
import { ProgressPage } from '@/features/progress/components/progress-page';

export default function ProgressRoute() {
  const { programId = '' } = useParams();
  return <ProgressPage programId={programId} />;
}
