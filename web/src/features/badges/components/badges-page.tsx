import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/uswds';
import { ActionError, Failure, Loading, Page, formatDate } from '@/components/ui/page';
import type { Schemas } from '@/lib/api-client';
import { useProgramBadges } from '@/features/programs/api/get-badges';
import { useProgramRole } from '@/features/me/api/use-program-role';
import { useRevokeBadge } from '../api/revoke-badge';

type HeldBadge = Schemas['HeldBadge'];

const STATUS: Record<string, string> = {
  active: 'Active',
  renewal_in_progress: 'Active: renewal in progress',
  expired: 'Expired',
  revoked: 'Revoked',
  superseded: 'Superseded by a newer badge',
};

function Revoke({ programId, badge }: { programId: string; badge: HeldBadge }) {
  const revoke = useRevokeBadge(programId, badge.badge_id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const id = `revoke-${badge.badge_id}`;
  if (!open) {
    return (
      <Button type="button" className="usa-button--secondary" onClick={() => { setOpen(true); }}>
        Revoke this badge…
      </Button>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim()) revoke.mutate(reason.trim());
      }}
    >
      <label className="usa-label" htmlFor={id}>
        Why is the badge revoked? (kept in the record; the verify page says revoked)
      </label>
      <textarea className="usa-textarea" id={id} required value={reason} onChange={(e) => { setReason(e.target.value); }} />
      <div className="nqms-item-nav">
        <Button type="submit" className="usa-button--secondary" disabled={!reason.trim() || revoke.isPending}>
          Revoke the badge
        </Button>
        <Button type="button" className="usa-button--unstyled" onClick={() => { setOpen(false); }}>
          Cancel
        </Button>
      </div>
      {revoke.isError ? <ActionError error={revoke.error} /> : null}
    </form>
  );
}

function Snippet({ badge }: { badge: HeldBadge }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const id = `embed-${badge.badge_id}`;
  return (
    <>
      <label className="usa-label" htmlFor={id}>
        Embed on your website
      </label>
      <textarea className="usa-textarea nqms-snippet" id={id} readOnly rows={3} value={badge.embed_html} />
      <p className="nqms-item-nav">
        <Button
          type="button"
          className="usa-button--outline"
          onClick={() => {
            navigator.clipboard.writeText(badge.embed_html).then(
              () => { setCopied('yes'); },
              () => { setCopied('no'); },
            );
          }}
        >
          Copy the snippet
        </Button>
        <span role="status">{copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Could not copy: select the text and copy it.' : ''}</span>
      </p>
    </>
  );
}

/** A program's badges: image, status, verify link, embed snippet; the affiliate may revoke. */
export function BadgesPage({ programId }: { programId: string }) {
  const badges = useProgramBadges(programId);
  const who = useProgramRole(programId);
  if (badges.isPending || who.pending) return <Loading what="the badges" />;
  if (badges.isError) return <Failure error={badges.error} />;
  return (
    <Page title="Badges" caption={<Link to={`/programs/${programId}`}>{who.program?.name ?? 'Program'}</Link>}>
      {badges.data.items.length === 0 ? (
        <p>No badge yet: a badge comes with a finalized Improvement and Innovation Plan.</p>
      ) : (
        badges.data.items.map((b) => (
          <article key={b.badge_id} className="nqms-badge-card" aria-labelledby={`badge-${b.badge_id}`} data-testid="badge">
            <img src={b.image} alt={`${b.level_name} badge, ${STATUS[b.status] ?? b.status}`} width={192} height={192} />
            <div>
              <h2 id={`badge-${b.badge_id}`} className="margin-top-0">
                {b.level_name}
              </h2>
              <p>
                <span className={`usa-tag nqms-tag ${b.valid ? 'nqms-tag--done' : 'nqms-tag--alert'}`} data-testid="badge-status">
                  {STATUS[b.status] ?? b.status}
                </span>{' '}
                Issued {formatDate(b.issued)}, valid until {formatDate(b.valid_until)}
              </p>
              <p>
                <a href={b.verify_url} target="_blank" rel="noopener noreferrer">
                  Verification page (opens in a new tab)
                </a>
                : anyone can check the badge there, with no sign-in.
              </p>
              <Snippet badge={b} />
              {who.role === 'affiliate' && b.valid ? <Revoke programId={programId} badge={b} /> : null}
            </div>
          </article>
        ))
      )}
    </Page>
  );
}
