import { InvitationsPage } from '@/features/admin/components/invitations-page';

export default function InvitationsRoute() {
  return <InvitationsPage />;
}
