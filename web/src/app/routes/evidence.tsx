import { useParams } from 'react-router';
import { EvidencePage } from '@/features/evidence/components/evidence-page';

export default function EvidenceRoute() {
  const { programId = '' } = useParams();
  return <EvidencePage programId={programId} />;
}
