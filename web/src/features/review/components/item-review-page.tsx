import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Button } from '@/components/ui/uswds';
import { ActionError, Failure, Loading, Page, formatTime } from '@/components/ui/page';
import { useAssessment, type AssessmentItem } from '@/features/assessment/api/get-assessment';
import { useEvidence, downloadUrl } from '@/features/evidence/api/evidence';
import { useProgramRole } from '@/features/me/api/use-program-role';
import { useApi } from '@/lib/api-context';
import { fieldErrors } from '@/lib/problems';
import { useAffiliateReview, useSaveItemReview, type ItemReviewIn } from '../api/review';
import type { ItemReview } from '../api/get-review';

const IN_PRACTICE: Record<string, string> = { yes: 'Yes', no: 'No', 'n/a': 'Not applicable' };
const STATUSES = [
  ['needs_review', 'Needs review'],
  ['reviewed', 'Reviewed'],
  ['flagged', 'Flagged: the program should look again'],
] as const;

function ProgramAnswer({ item, programId }: { item: AssessmentItem; programId: string }) {
  const api = useApi();
  const evidence = useEvidence(programId);
  const linked = (evidence.data?.items ?? []).filter((d) => d.state === 'available' && d.items.some((i) => i.code === item.code));
  const a = item.answer;
  return (
    <section aria-labelledby="answer-heading" className="nqms-panel">
      <h2 id="answer-heading">The program&apos;s answer</h2>
      {a ? (
        <dl className="nqms-readonly" data-testid="program-answer">
          <dt>In practice</dt>
          <dd>{IN_PRACTICE[a.in_practice]}</dd>
          {a.rating ? (
            <>
              <dt>Rating</dt>
              <dd>{a.rating} of 5</dd>
            </>
          ) : null}
          <dt>Notes</dt>
          <dd>{a.notes || '(none)'}</dd>
        </dl>
      ) : (
        <p>Not answered.</p>
      )}
      <h3>Evidence</h3>
      {linked.length === 0 ? (
        <p>No document is linked to this item.</p>
      ) : (
        <ul>
          {linked.map((d) => (
            <li key={d.document_id}>
              <button
                type="button"
                className="usa-button usa-button--unstyled"
                onClick={() => {
                  void downloadUrl(api, programId, d.document_id).then((url) => window.open(url, '_blank', 'noopener'));
                }}
              >
                {d.title ?? d.filename}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type Form = { status: ItemReviewIn['status']; note: string; internal: string };
const formOf = (r: ItemReview | undefined): Form => ({
  status: r?.status ?? 'needs_review',
  note: r?.note_to_program ?? '',
  internal: r?.internal_note ?? '',
});

export function ReviewForm({ cycleId, code, stored, next }: { cycleId: string; code: string; stored: ItemReview | undefined; next: string | null }) {
  const [form, setForm] = useState<Form>(() => formOf(stored));
  const [version, setVersion] = useState<number | null>(stored?.version ?? null);
  const [conflict, setConflict] = useState<ItemReview | null | undefined>(undefined);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const save = useSaveItemReview(cycleId, code);
  const navigate = useNavigate();
  const errors = fieldErrors(save.error);
  const send = (body: Form, at: number | null, then?: () => void) => {
    save.mutate(
      { body: { status: body.status, note_to_program: body.note || null, internal_note: body.internal || null }, version: at },
      {
        onSuccess: (outcome) => {
          if (outcome.kind === 'conflict') {
            setConflict(outcome.current);
            return;
          }
          setConflict(undefined);
          setVersion(outcome.review.version);
          setSavedAt(outcome.review.reviewed_at);
          then?.();
        },
      },
    );
  };
  const merged = (mine: string, theirs: string) => (mine && theirs && mine !== theirs ? `${mine}\n\n${theirs}` : mine || theirs);
  return (
    <form
      aria-labelledby="review-form-heading"
      onSubmit={(e) => {
        e.preventDefault();
        send(form, version, next ? () => { void navigate(`/cycles/${cycleId}/review/items/${next}`); } : undefined);
      }}
    >
      <h2 id="review-form-heading">Your review</h2>
      {conflict !== undefined ? (
        <div className="usa-alert usa-alert--warning" role="alert" data-testid="conflict">
          <div className="usa-alert__body">
            <h3 className="usa-alert__heading">A colleague reviewed this item while you were editing</h3>
            <p className="usa-alert__text">Nothing is lost: choose which review to keep.</p>
            <div className="nqms-conflict">
              <section aria-label="Your review">
                <h4>Yours</h4>
                <p>{STATUSES.find(([v]) => v === form.status)?.[1]}</p>
                <p>To the program: {form.note || '(none)'}</p>
                <p>Internal: {form.internal || '(none)'}</p>
              </section>
              <section aria-label="Your colleague's review">
                <h4>Your colleague&apos;s{conflict ? ` (saved ${formatTime(conflict.reviewed_at)})` : ''}</h4>
                <p>{STATUSES.find(([v]) => v === conflict?.status)?.[1] ?? 'None'}</p>
                <p>To the program: {conflict?.note_to_program || '(none)'}</p>
                <p>Internal: {conflict?.internal_note || '(none)'}</p>
              </section>
            </div>
            <div className="nqms-item-nav">
              <Button type="button" onClick={() => { send(form, conflict?.version ?? null); }}>
                Keep mine
              </Button>
              <Button
                type="button"
                className="usa-button--outline"
                onClick={() => {
                  setForm(formOf(conflict ?? undefined));
                  setVersion(conflict?.version ?? null);
                  setConflict(undefined);
                }}
              >
                Take theirs
              </Button>
              <Button
                type="button"
                className="usa-button--outline"
                onClick={() => {
                  const both = {
                    status: form.status,
                    note: merged(form.note, conflict?.note_to_program ?? ''),
                    internal: merged(form.internal, conflict?.internal_note ?? ''),
                  };
                  setForm(both);
                  send(both, conflict?.version ?? null);
                }}
              >
                Keep mine and merge the notes
              </Button>
            </div>
          </div>
        </div>
      ) : null}
      <fieldset className="usa-fieldset">
        <legend className="usa-legend">Status</legend>
        {STATUSES.map(([value, label]) => (
          <div className="usa-radio" key={value}>
            <input
              className="usa-radio__input"
              id={`status-${value}`}
              type="radio"
              name="status"
              checked={form.status === value}
              onChange={() => { setForm({ ...form, status: value }); }}
            />
            <label className="usa-radio__label" htmlFor={`status-${value}`}>
              {label}
            </label>
          </div>
        ))}
      </fieldset>
      <label className="usa-label" htmlFor="note-to-program">
        Note to the program
      </label>
      <span className="usa-hint" id="note-to-program-hint">
        The program sees this. A flag needs one saying what to look at.
      </span>
      {errors.note_to_program ? (
        <span className="usa-error-message" role="alert">
          {errors.note_to_program}
        </span>
      ) : null}
      <textarea
        className="usa-textarea"
        id="note-to-program"
        aria-describedby="note-to-program-hint"
        value={form.note}
        onChange={(e) => { setForm({ ...form, note: e.target.value }); }}
      />
      <div className="nqms-internal" data-testid="internal-note">
        <span className="nqms-internal__label">Internal: never shown to the program</span>
        <label className="usa-label" htmlFor="internal-note">
          Internal note (affiliate and national staff only)
        </label>
        <textarea className="usa-textarea" id="internal-note" value={form.internal} onChange={(e) => { setForm({ ...form, internal: e.target.value }); }} />
      </div>
      <div className="nqms-item-nav">
        <Button type="submit" disabled={save.isPending}>
          {next ? 'Save and go to the next item' : 'Save'}
        </Button>
        <Button type="button" className="usa-button--outline" disabled={save.isPending} onClick={() => { send(form, version); }}>
          Save
        </Button>
        <p className="nqms-status nqms-status--saved" role="status" data-testid="review-save-status">
          {save.isPending ? 'Saving…' : savedAt ? `Saved ${formatTime(savedAt)}` : ''}
        </p>
      </div>
      {save.isError && !errors.note_to_program ? <ActionError error={save.error} /> : null}
    </form>
  );
}

/** Review one item: the program's answer and evidence, then status and notes. */
export function ItemReviewPage({ cycleId, code }: { cycleId: string; code: string }) {
  const assessment = useAssessment(cycleId);
  const review = useAffiliateReview(cycleId);
  const who = useProgramRole(assessment.data?.cycle.program_id);
  if (assessment.isPending || review.isPending || who.pending) return <Loading what="the item" />;
  if (assessment.isError) return <Failure error={assessment.error} />;
  if (review.isError) return <Failure error={review.error} />;
  const items = assessment.data.items;
  const index = items.findIndex((i) => i.code === code);
  const item = items[index];
  if (!item) return <Failure error={new Error(`There is no item ${code} in this assessment.`)} />;
  const next = items[index + 1]?.code ?? null;
  const stored = review.data.items.find((i) => i.item_code === code);
  const state = review.data.state;
  const editable = who.role === 'affiliate' && (state === 'submitted' || state === 'in_review');
  return (
    <Page title={`${item.code}. ${item.prompt}`} compact caption={<Link to={`/cycles/${cycleId}/review`}>Review of {who.program?.name ?? 'the program'}</Link>}>
      <ProgramAnswer item={item} programId={assessment.data.cycle.program_id} />
      {editable ? (
        <ReviewForm key={code} cycleId={cycleId} code={code} stored={stored} next={next} />
      ) : (
        <Alert type="info" headingLevel="h2" heading="Review (read-only)">
          {stored ? `${STATUSES.find(([v]) => v === stored.status)?.[1] ?? stored.status}. ${stored.note_to_program ?? ''}` : 'Not reviewed.'}
        </Alert>
      )}
      <p className="nqms-item-nav">
        {index > 0 ? <Link to={`/cycles/${cycleId}/review/items/${items[index - 1]?.code ?? ''}`}>Previous item</Link> : null}
        {next ? <Link to={`/cycles/${cycleId}/review/items/${next}`}>Next item</Link> : null}
        <Link to={`/cycles/${cycleId}/review`}>All items</Link>
      </p>
    </Page>
  );
}
