import { Link } from 'react-router';
import { Alert, Button } from '@/components/ui/uswds';
import { ActionError, Failure, Loading, Page, formatDate } from '@/components/ui/page';
import { useAnswerInvitation, useMyInvitations, type Invitation } from '../api/invitations';

const ROLE = { 'program-staff': 'program staff', 'affiliate-staff': 'affiliate staff', 'national-staff': 'national staff' } as const;

const placeOf = (i: Invitation) => (i.scope === 'program' ? `/programs/${i.scope_id}` : '/');

/** "Invitations (1)" in the header while some wait for an answer. */
export function InvitationsLink() {
  const invitations = useMyInvitations();
  const count = invitations.data?.length ?? 0;
  if (count === 0) return null;
  return (
    <Link to="/invitations" className="nqms-header__link">
      Invitations ({count})
    </Link>
  );
}

/** The signed-in person's pending invitations to more programs or affiliates: accept or decline. */
export function InvitationsPage() {
  const invitations = useMyInvitations();
  const answer = useAnswerInvitation();
  const done = answer.data ?? null;
  return (
    <Page title="Invitations">
      {done ? (
        <Alert type="success" headingLevel="h2" role="status" heading={done.status === 'accepted' ? 'Invitation accepted' : 'Invitation declined'}>
          {done.status === 'accepted' ? (
            <>
              You are now {ROLE[done.role]} of <Link to={placeOf(done)}>{done.scope_name}</Link>.
            </>
          ) : (
            `You did not join ${done.scope_name}.`
          )}
        </Alert>
      ) : null}
      {answer.isError ? <ActionError error={answer.error} /> : null}
      {invitations.isPending ? (
        <Loading what="your invitations" />
      ) : invitations.isError ? (
        <Failure error={invitations.error} />
      ) : invitations.data.length === 0 ? (
        <p>No invitation waits for you.</p>
      ) : (
        <ul className="nqms-invitations" aria-label="Pending invitations">
          {invitations.data.map((i) => (
            <li key={i.invitation_id} className="nqms-panel">
              <h2 className="margin-top-0">{i.scope_name}</h2>
              <p>
                You are invited to join as {ROLE[i.role]} (since {formatDate(i.created_at)}). Until you accept, you do not
                see its work.
              </p>
              <div className="nqms-item-nav">
                <Button
                  type="button"
                  disabled={answer.isPending}
                  onClick={() => { answer.mutate({ invitationId: i.invitation_id, accept: true }); }}
                >
                  Accept: join {i.scope_name}
                </Button>
                <Button
                  type="button"
                  className="usa-button--outline"
                  aria-label={`Decline ${i.scope_name}`}
                  disabled={answer.isPending}
                  onClick={() => { answer.mutate({ invitationId: i.invitation_id, accept: false }); }}
                >
                  Decline
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
