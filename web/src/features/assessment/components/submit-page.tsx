import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '@/components/ui/uswds';
import { Failure, Loading, Page, STATE_LABELS, formatDate } from '@/components/ui/page';
import { draftCodes } from '@/lib/drafts';
import { useProgramRole } from '@/features/me/api/use-program-role';
import { isAnswerable, useAssessment } from '../api/get-assessment';
import { useReadiness } from '../api/get-readiness';
import { useSubmitCycle } from '../api/submit-cycle';

/** At most this many blockers are listed (at first, all 92 items are). */
const SHOWN = 10;

/** Readiness blockers linking to their items; submit with a confirmation. */
export function SubmitPage({ cycleId }: { cycleId: string }) {
  const assessment = useAssessment(cycleId);
  const readiness = useReadiness(cycleId);
  const [key] = useState(() => crypto.randomUUID());
  const submit = useSubmitCycle(cycleId, key);
  const [confirmed, setConfirmed] = useState(false);
  const who = useProgramRole(assessment.data?.cycle.program_id);
  if (assessment.isPending || readiness.isPending || who.pending) return <Loading what="the readiness check" />;
  if (assessment.isError) return <Failure error={assessment.error} />;
  if (readiness.isError) return <Failure error={readiness.error} />;
  const cycle = submit.data ?? assessment.data.cycle;
  const back = <Link to={`/cycles/${cycleId}`}>Self-assessment</Link>;
  if (who.role !== 'program') {
    return (
      <Page title="Check and submit" caption={back}>
        <p>Only the program&apos;s staff submit the self-assessment.</p>
      </Page>
    );
  }
  if (!isAnswerable(cycle.state)) {
    return (
      <Page title="Self-assessment submitted" caption={back}>
        <Alert type="success" headingLevel="h2" heading="Submitted" role="status">
          {cycle.submitted_at ? `Submitted on ${formatDate(cycle.submitted_at)}. ` : ''}
          {cycle.state === 'submitted' ? 'Your affiliate reviews it next.' : `${STATE_LABELS[cycle.state] ?? cycle.state}.`}{' '}
          Your answers are read-only now.
        </Alert>
        <p>
          <Link to={`/programs/${cycle.program_id}`}>Back to the program</Link>
        </p>
      </Page>
    );
  }
  const unsaved = draftCodes(cycleId);
  const blockers = readiness.data.blockers;
  return (
    <Page title="Check and submit" caption={back}>
      {blockers.length > 0 ? (
        <div className="usa-alert usa-alert--error" role="region" aria-labelledby="blockers-heading">
          <div className="usa-alert__body">
            <h2 className="usa-alert__heading" id="blockers-heading">
              {blockers.length === 1 ? '1 thing to do' : `${blockers.length} things to do`} before you can submit
            </h2>
            <ul className="usa-list">
              {blockers.slice(0, SHOWN).map((b, i) => (
                <li key={`${b.code}-${b.item_code ?? i}`}>
                  {b.item_code ? (
                    <Link to={`/cycles/${cycleId}/items/${b.item_code}`}>{b.message}</Link>
                  ) : (
                    b.message
                  )}
                </li>
              ))}
            </ul>
            {blockers.length > SHOWN ? (
              <p className="usa-alert__text">
                And {blockers.length - SHOWN} more: see the <Link to={`/cycles/${cycleId}`}>sections</Link>, or{' '}
                {assessment.data.progress.resume_at ? (
                  <Link to={`/cycles/${cycleId}/items/${assessment.data.progress.resume_at}`}>
                    go on at {assessment.data.progress.resume_at}
                  </Link>
                ) : (
                  'check each item'
                )}
                .
              </p>
            ) : null}
          </div>
        </div>
      ) : (
        <>
          <p>All {assessment.data.progress.total} items are answered. Once submitted, the answers go to your MENTOR affiliate for review and cannot be changed unless they return them.</p>
          {unsaved.length > 0 ? (
            <Alert type="warning" headingLevel="h2" heading="Changes not saved yet">
              Items {unsaved.join(', ')} have changes on this device that are not saved. Open them to save first.
            </Alert>
          ) : null}
          {submit.isError ? (
            <Alert type="error" headingLevel="h2" heading="Not submitted" role="alert">
              {submit.error.message}
            </Alert>
          ) : null}
          <div className="usa-checkbox">
            <input
              className="usa-checkbox__input"
              id="confirm-submit"
              type="checkbox"
              checked={confirmed}
              onChange={(e) => {
                setConfirmed(e.target.checked);
              }}
            />
            <label className="usa-checkbox__label" htmlFor="confirm-submit">
              I confirm these answers are our program&apos;s self-assessment, ready for review.
            </label>
          </div>
          <button
            type="button"
            className="usa-button margin-top-3"
            disabled={!confirmed || unsaved.length > 0}
            aria-disabled={submit.isPending}
            onClick={() => {
              if (!submit.isPending) submit.mutate();
            }}
          >
            {submit.isPending ? 'Submitting…' : 'Submit the self-assessment'}
          </button>
        </>
      )}
    </Page>
  );
}
