import { Link } from 'react-router';
import { Failure, Loading, Page, ProgressTag, STATE_LABELS, formatDate } from '@/components/ui/page';
import { draftCodes } from '@/lib/drafts';
import { FlaggedItems } from '@/features/review/components/review-notes';
import { useProgramRole } from '@/features/me/api/use-program-role';
import { DocumentsPanel } from '@/features/reports/components/documents-panel';
import { isAnswerable, useAssessment } from '../api/get-assessment';
import { useInstrument } from '../api/get-instrument';
import { ReturnedNotice } from './returned-notice';

/** The self-assessment as a task list: parts, their sections, progress, resume, submit. */
export function TaskList({ cycleId }: { cycleId: string }) {
  const assessment = useAssessment(cycleId);
  const instrument = useInstrument(assessment.data?.cycle.instrument_version);
  const who = useProgramRole(assessment.data?.cycle.program_id);
  // A refused cycle first: the instrument's query waits for the cycle, so it stays pending then.
  if (assessment.isError) return <Failure error={assessment.error} />;
  if (assessment.isPending || instrument.isPending || who.pending) return <Loading what="the self-assessment" />;
  if (instrument.isError) return <Failure error={instrument.error} />;
  const { cycle, progress } = assessment.data;
  // Only the program's own staff answer and submit; anyone else reads.
  const mine = who.role === 'program';
  const answerable = mine && isAnswerable(cycle.state);
  const unsaved = draftCodes(cycleId);
  const sectionProgress = new Map(progress.sections.map((s) => [s.letter, s]));
  return (
    <Page title="Self-assessment" caption={<Link to={`/programs/${cycle.program_id}`}>Back to the program</Link>}>
      <p>
        {STATE_LABELS[cycle.state] ?? cycle.state}. Due {formatDate(cycle.due_date)}.{' '}
        <strong>
          {progress.answered} of {progress.total}
        </strong>{' '}
        items answered.
      </p>
      <progress className="nqms-progress" max={progress.total} value={progress.answered} aria-label="Items answered" />
      <ReturnedNotice cycle={cycle} />
      {unsaved.length > 0 && answerable ? (
        <div className="usa-alert usa-alert--warning usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">
              Changes on this device not saved yet:{' '}
              {unsaved.map((code, i) => (
                <span key={code}>
                  {i > 0 ? ', ' : ''}
                  <Link to={`/cycles/${cycleId}/items/${code}`}>{code}</Link>
                </span>
              ))}
            </p>
          </div>
        </div>
      ) : null}
      <p className="nqms-item-nav">
        {answerable && progress.resume_at ? (
          <Link className="usa-button" to={`/cycles/${cycleId}/items/${progress.resume_at}`}>
            {progress.answered === 0 ? 'Start' : `Resume where you left off (${progress.resume_at})`}
          </Link>
        ) : null}
        {mine ? (
          <Link className={progress.resume_at && answerable ? 'usa-button usa-button--outline' : 'usa-button'} to={`/cycles/${cycleId}/submit`}>
            {answerable ? 'Check and submit' : 'What you submitted'}
          </Link>
        ) : who.role === 'affiliate' ? (
          <Link className="usa-button" to={`/cycles/${cycleId}/review`}>
            The review
          </Link>
        ) : null}
      </p>
      {/* Submitted, or returned for changes: what the affiliate flagged. */}
      {mine && (!answerable || cycle.state === 'returned') ? <FlaggedItems cycleId={cycleId} /> : null}
      {instrument.data.parts.map((part) => (
        <section key={part.id} aria-labelledby={`part-${part.id}`}>
          <h2 id={`part-${part.id}`}>{part.title}</h2>
          <ul className="nqms-task-list">
            {instrument.data.sections
              .filter((s) => s.part === part.id)
              .map((s) => {
                const p = sectionProgress.get(s.letter);
                return (
                  <li key={s.letter}>
                    <Link to={`/cycles/${cycleId}/sections/${s.letter}`}>
                      {s.letter}. {s.title}
                    </Link>
                    {p ? <ProgressTag answered={p.answered} total={p.total} /> : null}
                  </li>
                );
              })}
          </ul>
        </section>
      ))}
      <DocumentsPanel cycleId={cycleId} kinds={['assessment.pdf', 'assessment-goals.pdf', 'assessment.csv']} />
    </Page>
  );
}
