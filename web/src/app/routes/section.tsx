import { useParams } from 'react-router';
import { SectionItems } from '@/features/assessment/components/section-items';

export function SectionRoute() {
  const { cycleId = '', letter = '' } = useParams();
  return <SectionItems cycleId={cycleId} letter={letter} />;
}
