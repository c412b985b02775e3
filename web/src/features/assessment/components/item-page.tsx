import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Failure, Loading, Page } from '@/components/ui/page';
import { useApi } from '@/lib/api-context';
import { useEvidence } from '@/features/evidence/api/evidence';
import { useProgramRole } from '@/features/me/api/use-program-role';
import { ItemReviewNote } from '@/features/review/components/review-notes';
import { isAnswerable, useAssessment, type AssessmentItem } from '../api/get-assessment';
import { rememberAnswer } from '../api/answer-cache';
import { saveAnswer } from '../api/save-answer';
import { Autosave, type InPractice } from '../autosave';
import { ConflictView } from './conflict-view';
import { SaveStatus } from './save-status';

const IN_PRACTICE: { value: InPractice; label: string }[] = [
  { value: 'yes', label: 'Yes, it is in place' },
  { value: 'no', label: 'No, not yet' },
  { value: 'n/a', label: 'Not applicable to our program' },
];
const RATINGS = ['1 – just started', '2', '3 – partly', '4', '5 – fully, consistently'];
const ANSWER_LABEL: Record<string, string> = { yes: 'Yes', no: 'No', 'n/a': 'Not applicable' };

function ItemForm({ cycleId, item, next }: { cycleId: string; item: AssessmentItem; next: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const autosave = useMemo(
    () =>
      new Autosave(
        cycleId,
        item.code,
        item.allows_na,
        item.answer,
        (body, version) => saveAnswer(api, cycleId, item.code, body, version),
        (answer) => {
          rememberAnswer(queryClient, cycleId, answer);
        },
      ),
    // One controller per item: the answer it starts from is the one read on arrival.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [cycleId, item.code],
  );
  useEffect(() => {
    autosave.start();
    return () => {
      autosave.dispose();
    };
  }, [autosave]);
  const { form, status } = useSyncExternalStore(autosave.subscribe, autosave.getState);
  const saving = useRef(false);

  const saveAndContinue = async () => {
    if (saving.current) return;
    saving.current = true;
    try {
      if (await autosave.flush()) await navigate(next);
    } finally {
      saving.current = false;
    }
  };

  const name = `item-${item.code}`;
  return (
    <form
      className="usa-form usa-form--large"
      onSubmit={(event) => {
        event.preventDefault();
        void saveAndContinue();
      }}
    >
      {status.kind === 'conflict' ? (
        <ConflictView mine={status.mine} theirs={status.theirs} onChoose={(c) => { autosave.resolve(c); }} />
      ) : null}
      <fieldset className="usa-fieldset">
        <legend className="usa-legend text-bold">Is this practice in place?</legend>
        {IN_PRACTICE.filter((o) => o.value !== 'n/a' || item.allows_na).map((o) => (
          <div className="usa-radio" key={o.value}>
            <input
              className="usa-radio__input"
              id={`${name}-${o.value}`}
              type="radio"
              name={`${name}-in-practice`}
              value={o.value}
              checked={form.in_practice === o.value}
              disabled={status.kind === 'conflict'}
              onChange={() => {
                autosave.change({ in_practice: o.value });
              }}
            />
            <label className="usa-radio__label" htmlFor={`${name}-${o.value}`}>
              {o.label}
            </label>
          </div>
        ))}
      </fieldset>
      {form.in_practice === 'yes' ? (
        <fieldset className="usa-fieldset">
          <legend className="usa-legend">How well is it implemented? (1 to 5)</legend>
          <div className="nqms-ratings">
            {RATINGS.map((label, i) => (
              <div className="usa-radio" key={label}>
                <input
                  className="usa-radio__input"
                  id={`${name}-rating-${i + 1}`}
                  type="radio"
                  name={`${name}-rating`}
                  value={i + 1}
                  checked={form.rating === i + 1}
                  disabled={status.kind === 'conflict'}
                  onChange={() => {
                    autosave.change({ rating: i + 1 });
                  }}
                />
                <label className="usa-radio__label" htmlFor={`${name}-rating-${i + 1}`}>
                  {label}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      ) : null}
      <label className="usa-label" htmlFor={`${name}-notes`}>
        Notes{form.in_practice === 'n/a' ? ' (required: why it does not apply)' : ' (optional)'}
      </label>
      <span className="usa-hint" id={`${name}-notes-hint`}>
        What you do, and what would show it. Your affiliate reads these.
      </span>
      <textarea
        className="usa-textarea"
        id={`${name}-notes`}
        aria-describedby={`${name}-notes-hint`}
        maxLength={4000}
        value={form.notes}
        disabled={status.kind === 'conflict'}
        onChange={(e) => {
          autosave.change({ notes: e.target.value });
        }}
      />
      <SaveStatus status={status} onRetry={() => { autosave.retry(); }} />
      <div className="nqms-item-nav">
        <button type="submit" className="usa-button" disabled={status.kind === 'conflict'}>
          Save and continue
        </button>
        <Link to={`/cycles/${cycleId}/sections/${item.section}`}>Back to section {item.section}</Link>
      </div>
    </form>
  );
}

function ReadOnlyAnswer({ item }: { item: AssessmentItem }) {
  const a = item.answer;
  return (
    <dl className="nqms-readonly">
      <dt>In practice</dt>
      <dd>{a ? ANSWER_LABEL[a.in_practice] : 'Not answered'}</dd>
      {a?.rating ? (
        <>
          <dt>Rating</dt>
          <dd>{a.rating} of 5</dd>
        </>
      ) : null}
      <dt>Notes</dt>
      <dd>{a?.notes ?? '(none)'}</dd>
    </dl>
  );
}

function LinkedEvidence({ programId, code }: { programId: string; code: string }) {
  const evidence = useEvidence(programId);
  const linked = (evidence.data?.items ?? []).filter(
    (d) => d.state === 'available' && d.items.some((i) => i.code === code),
  );
  if (linked.length === 0) return null;
  return (
    <p>
      Evidence linked: {linked.map((d) => d.title ?? d.filename).join(', ')}
    </p>
  );
}

/** One item: code, text, EEPM references, previous answer, the answer with autosave. */
export function ItemPage({ cycleId, code }: { cycleId: string; code: string }) {
  const assessment = useAssessment(cycleId);
  const who = useProgramRole(assessment.data?.cycle.program_id);
  if (assessment.isPending || who.pending) return <Loading what="the item" />;
  if (assessment.isError) return <Failure error={assessment.error} />;
  const items = assessment.data.items;
  const index = items.findIndex((i) => i.code === code);
  const item = items[index];
  if (!item) return <Failure error={new Error(`There is no item ${code} in this self-assessment.`)} />;
  const following = items[index + 1];
  const section = assessment.data.progress.sections.find((s) => s.letter === item.section);
  const next = following
    ? `/cycles/${cycleId}/items/${following.code}`
    : `/cycles/${cycleId}/submit`;
  // Only the program's own staff answer; anyone else reads (the affiliate reviews from here).
  const mine = who.role === 'program';
  const answerable = mine && isAnswerable(assessment.data.cycle.state);
  return (
    <Page
      compact
      title={`${item.code}. ${item.prompt}`}
      caption={
        <>
          <Link to={`/cycles/${cycleId}`}>Self-assessment</Link> ›{' '}
          <Link to={`/cycles/${cycleId}/sections/${item.section}`}>
            {item.section}. {section?.title}
          </Link>{' '}
          · item {index + 1} of {items.length}
        </>
      }
    >
      <p className="text-base">
        EEPM reference{item.references.length > 1 ? 's' : ''}: {item.references.join(', ')} · {item.kind}
      </p>
      <details>
        <summary>Guidance and evidence</summary>
        <p>{item.guidance}</p>
        <p>
          <strong>Evidence:</strong> {item.evidence_hint}
        </p>
      </details>
      <LinkedEvidence programId={assessment.data.cycle.program_id} code={item.code} />
      {mine ? (
        <p>
          <Link
            to={`/programs/${assessment.data.cycle.program_id}/evidence?item=${item.code}&back=${encodeURIComponent(`/cycles/${cycleId}/items/${item.code}`)}`}
          >
            Add evidence for {item.code}
          </Link>
        </p>
      ) : null}
      {item.previous ? (
        <div className="nqms-previous">
          Last cycle: {ANSWER_LABEL[item.previous.in_practice]}
          {item.previous.rating ? `, rated ${item.previous.rating} of 5` : ''}
        </div>
      ) : null}
      {answerable ? (
        <>
          {/* Returned for changes: the affiliate's flag and note on the item being changed. */}
          {assessment.data.cycle.state === 'returned' ? (
            <div className="margin-bottom-2">
              <ItemReviewNote cycleId={cycleId} code={item.code} />
            </div>
          ) : null}
          <ItemForm key={item.code} cycleId={cycleId} item={item} next={next} />
        </>
      ) : (
        <>
          {mine ? (
            <p>The self-assessment is submitted: answers can no longer change.</p>
          ) : (
            <p>
              Only the program&apos;s staff change answers.
              {who.role === 'affiliate' ? (
                <>
                  {' '}
                  <Link to={`/cycles/${cycleId}/review/items/${item.code}`}>Review this item</Link>
                </>
              ) : null}
            </p>
          )}
          <ItemReviewNote cycleId={cycleId} code={item.code} />
          <ReadOnlyAnswer item={item} />
          <div className="nqms-item-nav">
            <Link className="usa-button" to={next}>
              Next
            </Link>
          </div>
        </>
      )}
    </Page>
  );
}
