import { useParams } from 'react-router';
import { BadgesPage } from '@/features/badges/components/badges-page';

export default function BadgesRoute() {
  const { programId = '' } = useParams();
  return <BadgesPage programId={programId} />;
}
