import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Button } from '@/components/ui/uswds';
import { ActionError, Failure, Loading, Page, formatDate } from '@/components/ui/page';
import { useAffiliate, useAffiliateMembers, useProgramMembers, type Member } from '@/features/affiliate/api/affiliate';
import { affiliateIdsOf, useMe } from '@/features/me/api/get-me';
import { useProgramRole } from '@/features/me/api/use-program-role';
import { ApiError } from '@/lib/api-client';
import { useInvite, useRemoveMember, type Scope } from '../api/members';
import { readableFieldErrors } from '../logic';
import { Field } from './field';

function InviteForm({ scope, where }: { scope: Scope; where: string }) {
  const invite = useInvite(scope);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const errors = readableFieldErrors(invite.error, { email: 'Like name@program.org.' });
  const invited = invite.data;
  return (
    <section aria-labelledby="invite-heading" className="nqms-panel">
      <h2 id="invite-heading">Invite a colleague</h2>
      <p>
        Someone new gets an email with a temporary password and is a member at once. Someone who already has an
        NQMS account gets an invitation to accept when they next sign in.
      </p>
      <form
        className="usa-form"
        aria-label="Invite a colleague"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate(
            { name: name.trim(), email: email.trim() },
            { onSuccess: () => { setName(''); setEmail(''); } },
          );
        }}
      >
        <Field id="invite-name" label="Name" error={errors.name} value={name} onChange={(e) => { setName(e.target.value); }} />
        <Field id="invite-email" label="Email" type="email" error={errors.email} value={email} onChange={(e) => { setEmail(e.target.value); }} />
        <Button type="submit" className="margin-top-2" disabled={invite.isPending}>
          Invite to {where}
        </Button>
      </form>
      {invite.isError && Object.keys(errors).length === 0 ? <ActionError error={invite.error} /> : null}
      {invited ? (
        <Alert type="success" headingLevel="h3" role="status" heading={invited.status === 'pending' ? 'Invitation pending' : 'Invited'}>
          {invited.status === 'pending'
            ? `${invited.name} (${invited.email}) already has an account: they become a member once they accept the invitation.`
            : `${invited.name} (${invited.email}) is a member now; the email with their temporary password is on its way.`}
        </Alert>
      ) : null}
    </section>
  );
}

function RemoveButton({ scope, member, self }: { scope: Scope; member: Member; self: boolean }) {
  const remove = useRemoveMember(scope);
  const navigate = useNavigate();
  const [asked, setAsked] = useState(false);
  const last = remove.error instanceof ApiError && remove.error.status === 409 && remove.error.problem?.type === 'urn:nqms:problem:last-staff-member';
  const label = self ? 'Leave' : `Remove ${member.name}`;
  if (!asked) {
    return (
      <Button type="button" className="usa-button--unstyled" onClick={() => { setAsked(true); }}>
        {label}
      </Button>
    );
  }
  return (
    <div className="nqms-confirm">
      <p>{self ? 'You lose access at once.' : `${member.name} loses access at once, signed out everywhere.`}</p>
      <div className="nqms-item-nav">
        <Button
          type="button"
          className="usa-button--secondary"
          disabled={remove.isPending}
          onClick={() => {
            remove.mutate(
              { userId: member.user_id, confirmNoStaff: last },
              { onSuccess: () => { if (self) void navigate('/'); } },
            );
          }}
        >
          {last ? 'Remove anyway' : self ? 'Leave' : 'Remove'}
        </Button>
        <Button type="button" className="usa-button--unstyled" onClick={() => { setAsked(false); remove.reset(); }}>
          Cancel
        </Button>
      </div>
      {remove.isError ? <ActionError error={remove.error} /> : null}
    </div>
  );
}

/** Withdraw an invitation not answered yet: its holder no longer sees it (inviting again is one form away). */
function WithdrawButton({ scope, member }: { scope: Scope; member: Member }) {
  const remove = useRemoveMember(scope);
  return (
    <span>
      <Button
        type="button"
        className="usa-button--unstyled"
        disabled={remove.isPending}
        onClick={() => {
          remove.mutate({ userId: member.user_id });
        }}
      >
        Withdraw<span className="usa-sr-only"> the invitation of {member.name}</span>
      </Button>
      {remove.isError ? <ActionError error={remove.error} /> : null}
    </span>
  );
}

function MemberTable({ members, scope, manage, myId }: { members: Member[]; scope: Scope; manage: boolean; myId: string }) {
  const pending = members.filter((m) => m.status === 'pending');
  const active = members.filter((m) => m.status !== 'pending');
  return (
    <>
      <h2>Members</h2>
      <div className="usa-table-container--scrollable" tabIndex={0} role="region" aria-label="Members">
        <table className="usa-table usa-table--borderless usa-table--stacked nqms-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Since</th>
              {manage ? <th scope="col">Access</th> : null}
            </tr>
          </thead>
          <tbody>
            {active.map((m) => (
              <tr key={m.user_id}>
                <th scope="row" data-label="Name">
                  {m.name}
                  {m.user_id === myId ? ' (you)' : ''}
                </th>
                <td data-label="Email">{m.email}</td>
                <td data-label="Since">{formatDate(m.created_at)}</td>
                {manage ? (
                  <td data-label="Access">
                    <RemoveButton scope={scope} member={m} self={m.user_id === myId} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Pending invitations</h2>
      {pending.length === 0 ? (
        <p>
          None. Someone invited who already has an account is listed here until they accept (then they are a member)
          or decline.
        </p>
      ) : (
        <ul className="nqms-task-list nqms-task-list--wrap" aria-label="Pending invitations">
          {pending.map((m) => (
            <li key={m.user_id}>
              <span className="nqms-wrap-anywhere">
                {m.name} ({m.email})
              </span>
              <span className="nqms-pending">
                <span className="usa-tag nqms-tag nqms-tag--todo">Invited {formatDate(m.created_at)}, not accepted yet</span>
                {manage ? <WithdrawButton scope={scope} member={m} /> : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** An affiliate's staff: members, pending invitations, invite and remove (its own staff only). */
export function AffiliateMembersPage({ affiliateId }: { affiliateId: string }) {
  const me = useMe();
  const affiliate = useAffiliate(affiliateId);
  const members = useAffiliateMembers(affiliateId);
  if (me.isPending || affiliate.isPending || members.isPending) return <Loading what="the staff" />;
  if (me.isError) return <Failure error={me.error} />;
  if (affiliate.isError) return <Failure error={affiliate.error} />;
  if (members.isError) return <Failure error={members.error} />;
  const scope: Scope = { kind: 'affiliate', id: affiliateId };
  const manage = affiliateIdsOf(me.data).includes(affiliateId);
  return (
    <Page title={`Staff of ${affiliate.data.name}`} caption={<Link to="/">{affiliate.data.name}</Link>}>
      <MemberTable members={members.data} scope={scope} manage={manage} myId={me.data.user_id} />
      {manage ? <InviteForm scope={scope} where={affiliate.data.name} /> : null}
    </Page>
  );
}

/** A program's staff: the program's own staff and the staff of its affiliates invite and remove. */
export function ProgramMembersPage({ programId }: { programId: string }) {
  const who = useProgramRole(programId);
  const members = useProgramMembers(programId);
  if (who.pending || members.isPending) return <Loading what="the staff" />;
  if (who.error) return <Failure error={who.error} />;
  if (members.isError) return <Failure error={members.error} />;
  const scope: Scope = { kind: 'program', id: programId };
  const manage = who.role === 'program' || who.role === 'affiliate';
  const name = who.program?.name ?? 'the program';
  return (
    <Page title={`Staff of ${name}`} caption={<Link to={`/programs/${programId}`}>Program</Link>}>
      <MemberTable members={members.data} scope={scope} manage={manage} myId={who.me?.user_id ?? ''} />
      {manage ? <InviteForm scope={scope} where={name} /> : null}
    </Page>
  );
}
