import { useParams } from 'react-router';
import { ProgramHome } from '@/features/programs/components/program-home';

export function ProgramRoute() {
  const { programId = '' } = useParams();
  return <ProgramHome programId={programId} />;
}
