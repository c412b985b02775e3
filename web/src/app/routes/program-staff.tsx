import { useParams } from 'react-router';
import { ProgramMembersPage } from '@/features/admin/components/members-page';

export default function ProgramStaffRoute() {
  const { programId = '' } = useParams();
  return <ProgramMembersPage programId={programId} />;
}
