import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button } from '@/components/ui/uswds';
import { ActionError, Failure, Loading, Page, STATE_LABELS, formatDate } from '@/components/ui/page';
import { useAssessment } from '@/features/assessment/api/get-assessment';
import { useAffiliateMembers } from '@/features/affiliate/api/affiliate';
import { useProgramRole } from '@/features/me/api/use-program-role';
import { useAffiliateReview, useAssignReviewer, useCompleteReview, useReturnCycle, type Review } from '../api/review';
import { DocumentsPanel } from '@/features/reports/components/documents-panel';
import { MeetingPanel } from './meeting-panel';
import { ReviewStatusTag } from './review-status';

const REVIEWABLE = new Set(['submitted', 'in_review']);

function Reviewer({ review, affiliateId, myId, canAssign }: { review: Review; affiliateId: string; myId: string; canAssign: boolean }) {
  const members = useAffiliateMembers(canAssign ? affiliateId : undefined);
  const assign = useAssignReviewer(review.cycle_id);
  const [chosen, setChosen] = useState('');
  const nameOf = (id: string) => (id === myId ? 'You' : (members.data?.find((m) => m.user_id === id)?.name ?? id));
  return (
    <section aria-labelledby="reviewer-heading" className="nqms-panel">
      <h2 id="reviewer-heading">Reviewer</h2>
      <p data-testid="reviewer">
        {review.reviewer ? nameOf(review.reviewer.user_id) : 'Nobody is assigned yet.'}
      </p>
      {canAssign ? (
        <form
          className="nqms-filters"
          onSubmit={(e) => {
            e.preventDefault();
            if (chosen) assign.mutate(chosen);
          }}
        >
          <div>
            <label className="usa-label" htmlFor="reviewer-select">
              Assign a reviewer
            </label>
            <select className="usa-select" id="reviewer-select" value={chosen} onChange={(e) => { setChosen(e.target.value); }}>
              <option value="">Choose a colleague</option>
              <option value={myId}>Me</option>
              {(members.data ?? [])
                .filter((m) => m.user_id !== myId && m.status === 'active')
                .map((m) => (
                  <option key={m.user_id} value={m.user_id}>
                    {m.name} ({m.email})
                  </option>
                ))}
            </select>
          </div>
          <Button type="submit" disabled={!chosen || assign.isPending}>
            Assign
          </Button>
        </form>
      ) : null}
      {assign.isError ? <ActionError error={assign.error} /> : null}
    </section>
  );
}

function ReturnForChanges({ cycleId }: { cycleId: string }) {
  const [comment, setComment] = useState('');
  const [open, setOpen] = useState(false);
  const returned = useReturnCycle(cycleId);
  if (!open) {
    return (
      <Button type="button" className="usa-button--outline" onClick={() => { setOpen(true); }}>
        Return for changes…
      </Button>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (comment.trim()) returned.mutate(comment.trim());
      }}
    >
      <label className="usa-label" htmlFor="return-comment">
        What should the program change? (the program sees this)
      </label>
      <textarea className="usa-textarea" id="return-comment" value={comment} onChange={(e) => { setComment(e.target.value); }} required />
      <div className="nqms-item-nav">
        <Button type="submit" disabled={!comment.trim() || returned.isPending}>
          Return to the program
        </Button>
        <Button type="button" className="usa-button--unstyled" onClick={() => { setOpen(false); }}>
          Cancel
        </Button>
      </div>
      {returned.isError ? <ActionError error={returned.error} /> : null}
    </form>
  );
}

/** The affiliate's review of one assessment: progress, reviewer, items, meeting, completion. */
export function ReviewPage({ cycleId }: { cycleId: string }) {
  const review = useAffiliateReview(cycleId);
  const assessment = useAssessment(cycleId);
  const programId = assessment.data?.cycle.program_id;
  const who = useProgramRole(programId);
  const complete = useCompleteReview(cycleId);
  if (review.isPending || assessment.isPending || who.pending) return <Loading what="the review" />;
  if (review.isError) return <Failure error={review.error} />;
  if (assessment.isError) return <Failure error={assessment.error} />;
  if (who.error) return <Failure error={who.error} />;
  const { cycle, progress: answered } = assessment.data;
  const data = review.data;
  const isAffiliate = who.role === 'affiliate';
  const state = data.state; // the cycle's, as fresh as the review
  const reviewable = isAffiliate && REVIEWABLE.has(state);
  const statusOf = new Map(data.items.map((i) => [i.item_code, i]));
  const p = data.progress;
  const meetingHeld = data.meeting && data.meeting.status !== 'cancelled';
  return (
    <Page title={`Review: ${who.program?.name ?? 'program'}`} caption={<Link to={`/programs/${cycle.program_id}`}>Program</Link>}>
      {who.role === 'program' ? (
        <Alert type="info" headingLevel="h2" heading="Read-only">
          You can read this review; only the affiliate&apos;s staff change it.
        </Alert>
      ) : null}
      <dl className="nqms-readonly">
        <dt>State</dt>
        <dd data-testid="cycle-state">{STATE_LABELS[state] ?? state}</dd>
        {cycle.submitted_at ? (
          <>
            <dt>Submitted</dt>
            <dd>{formatDate(cycle.submitted_at)}</dd>
          </>
        ) : null}
        <dt>Review progress</dt>
        <dd data-testid="review-progress">
          {p.reviewed + p.flagged} of {p.total} items reviewed ({p.flagged} flagged, {p.needs_review} to review)
        </dd>
      </dl>
      <progress className="nqms-progress" max={p.total} value={p.reviewed + p.flagged} aria-label="Review progress" />
      {state === 'returned' && cycle.return_comment ? (
        <Alert type="warning" headingLevel="h2" heading="Returned to the program for changes">
          {cycle.return_comment}
        </Alert>
      ) : null}
      {data.completion ? (
        <Alert type="success" headingLevel="h2" heading="Review completed" role="status">
          Reviewed on {formatDate(data.completion.review_date)}. <Link to={`/cycles/${cycleId}/plan`}>The plan</Link> comes next.
        </Alert>
      ) : null}
      <Reviewer review={data} affiliateId={who.program?.primary_affiliate_id ?? ''} myId={who.me?.user_id ?? ''} canAssign={reviewable} />
      <section aria-labelledby="items-heading">
        <h2 id="items-heading">Items</h2>
        {answered.sections.map((s) => (
          <details key={s.letter} open={s.letter === answered.sections[0]?.letter}>
            <summary>
              {s.letter}. {s.title}
            </summary>
            <ul className="nqms-task-list">
              {assessment.data.items
                .filter((i) => i.section === s.letter)
                .map((i) => {
                  const r = statusOf.get(i.code);
                  return (
                    <li key={i.code}>
                      <Link to={`/cycles/${cycleId}/review/items/${i.code}`}>
                        {i.code}: {i.prompt.length > 90 ? `${i.prompt.slice(0, 90)}…` : i.prompt}
                      </Link>
                      <ReviewStatusTag status={r?.status ?? 'needs_review'} />
                    </li>
                  );
                })}
            </ul>
          </details>
        ))}
      </section>
      {reviewable ? (
        <section aria-labelledby="return-heading" className="nqms-panel">
          <h2 id="return-heading">Return for changes</h2>
          <p>The program can change its answers again and resubmit; your item reviews are kept.</p>
          <ReturnForChanges cycleId={cycleId} />
        </section>
      ) : null}
      <MeetingPanel cycleId={cycleId} review={data} editable={reviewable} affiliateId={who.program?.primary_affiliate_id} />
      {reviewable && state === 'in_review' ? (
        <section aria-labelledby="complete-heading" className="nqms-panel">
          <h2 id="complete-heading">Complete the review</h2>
          {meetingHeld ? (
            <>
              <p>Once the review meeting was held, record it: the review is completed and the plan can be written.</p>
              <Button type="button" disabled={complete.isPending} onClick={() => { complete.mutate(undefined); }}>
                The meeting was held: complete the review
              </Button>
            </>
          ) : (
            <p>Schedule the review meeting (or record one already held) first.</p>
          )}
          {complete.isError ? <ActionError error={complete.error} /> : null}
        </section>
      ) : null}
      <DocumentsPanel cycleId={cycleId} kinds={['assessment.pdf', 'assessment-goals.pdf', 'assessment.csv']} />
    </Page>
  );
}
