import { Link } from 'react-router';
import { Failure, Loading, Page, ProgressTag, STATE_LABELS, formatDate } from '@/components/ui/page';
import { isAnswerable, useAssessment } from '@/features/assessment/api/get-assessment';
import { useProgram } from '../api/get-programs';
import { useProgramCycles } from '../api/get-cycles';
import { useProgramBadges } from '../api/get-badges';
import { useProgramRole, type ProgramRole } from '@/features/me/api/use-program-role';
import { OpenCycle } from '@/features/affiliate/components/open-cycle';
import { ReturnedNotice } from '@/features/assessment/components/returned-notice';

const LIVE = new Set(['open', 'returned', 'submitted', 'in_review', 'review_completed', 'plan_finalized']);
/** A new cycle may be opened when the current one has run its course (shared/domain/cycle_states.py). */
const FINISHED = new Set(['review_completed', 'plan_finalized']);
const REVIEWING = new Set(['submitted', 'in_review', 'review_completed', 'plan_finalized']);
const PLANNING = new Set(['review_completed', 'plan_finalized']);

/** The affiliate's way in: the review, the plan. */
function AffiliateNext({ cycleId, state }: { cycleId: string; state: string }) {
  return (
    <p className="nqms-item-nav">
      {REVIEWING.has(state) ? (
        <Link className="usa-button" to={`/cycles/${cycleId}/review`}>
          {state === 'submitted' || state === 'in_review' ? 'Review the self-assessment' : 'The review'}
        </Link>
      ) : (
        <span>The program is answering; you review once it submits.</span>
      )}
      {PLANNING.has(state) ? <Link to={`/cycles/${cycleId}/plan`}>The plan</Link> : null}
    </p>
  );
}

function CurrentCycle({ cycleId, role }: { cycleId: string; role: ProgramRole }) {
  const assessment = useAssessment(cycleId);
  if (assessment.isPending) return <Loading what="the self-assessment" />;
  if (assessment.isError) return <Failure error={assessment.error} />;
  const { cycle, progress } = assessment.data;
  const answerable = isAnswerable(cycle.state);
  return (
    <section aria-labelledby="cycle-heading">
      <h2 id="cycle-heading">Self-assessment</h2>
      <dl className="nqms-readonly">
        <dt>State</dt>
        <dd>{STATE_LABELS[cycle.state] ?? cycle.state}</dd>
        <dt>Due</dt>
        <dd>{formatDate(cycle.due_date)}</dd>
        <dt>Progress</dt>
        <dd>
          {progress.answered} of {progress.total} items answered
        </dd>
      </dl>
      <ReturnedNotice cycle={cycle} />
      <h3>{role === 'reader' ? 'Read' : 'What to do next'}</h3>
      {role === 'affiliate' ? <AffiliateNext cycleId={cycleId} state={cycle.state} /> : null}
      {role === 'reader' && REVIEWING.has(cycle.state) ? (
        <p className="nqms-item-nav">
          <Link to={`/cycles/${cycleId}/review`}>The review</Link>
          {PLANNING.has(cycle.state) ? <Link to={`/cycles/${cycleId}/plan`}>The plan</Link> : null}
        </p>
      ) : null}
      {role === 'program' && PLANNING.has(cycle.state) ? (
        <p className="nqms-item-nav">
          <Link className="usa-button" to={`/cycles/${cycleId}/plan`}>
            {cycle.state === 'plan_finalized' ? 'Your plan and goals' : 'Write the plan with your affiliate'}
          </Link>
        </p>
      ) : null}
      <p className="nqms-item-nav">
        {role !== 'program' ? null : answerable && progress.resume_at ? (
          <Link className="usa-button" to={`/cycles/${cycleId}/items/${progress.resume_at}`}>
            {progress.answered === 0 ? 'Start the self-assessment' : `Continue where you left off (${progress.resume_at})`}
          </Link>
        ) : answerable ? (
          <Link className="usa-button" to={`/cycles/${cycleId}/submit`}>
            Check and submit
          </Link>
        ) : cycle.state === 'submitted' || cycle.state === 'in_review' ? (
          <span>Your answers are submitted; your affiliate reviews them next.</span>
        ) : null}
        <Link to={`/cycles/${cycleId}`}>All sections</Link>
      </p>
      <h3>Progress by section</h3>
      <ul className="nqms-task-list">
        {progress.sections.map((s) => (
          <li key={s.letter}>
            <Link to={`/cycles/${cycleId}/sections/${s.letter}`}>
              {s.letter}. {s.title}
            </Link>
            <ProgressTag answered={s.answered} total={s.total} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function Badges({ programId }: { programId: string }) {
  const badges = useProgramBadges(programId);
  if (badges.isPending) return <Loading what="badges" />;
  if (badges.isError) return null;
  return (
    <section aria-labelledby="badges-heading">
      <h2 id="badges-heading">Badges</h2>
      <p>
        <Link to={`/programs/${programId}/badges`}>Badges: verify links, images and the embed snippet</Link>
      </p>
      {badges.data.items.length === 0 ? (
        <p>No badge yet: a badge comes with a finalized Improvement and Innovation Plan.</p>
      ) : (
        <ul>
          {badges.data.items.map((b) => (
            <li key={b.badge_id}>
              {b.level_name}, valid until {formatDate(b.valid_until)} ({b.status.replace(/_/g, ' ')}){' '}
              <a href={b.verify_url}>Verification page</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ProgramHome({ programId }: { programId: string }) {
  const program = useProgram(programId);
  const cycles = useProgramCycles(programId);
  const who = useProgramRole(programId);
  if (program.isPending || cycles.isPending) return <Loading what="the program" />;
  if (program.isError) return <Failure error={program.error} />;
  if (cycles.isError) return <Failure error={cycles.error} />;
  const current = [...cycles.data.items]
    .filter((c) => LIVE.has(c.state))
    .sort((a, b) => b.opened_at.localeCompare(a.opened_at))[0];
  return (
    <Page title={program.data.name} caption="Program">
      {current ? (
        <CurrentCycle cycleId={current.cycle_id} role={who.role} />
      ) : who.role !== 'program' ? (
        <p>No self-assessment is open.</p>
      ) : (
        <p>No self-assessment is open. Your MENTOR affiliate opens the next cycle.</p>
      )}
      {who.role === 'affiliate' && (!current || FINISHED.has(current.state)) ? <OpenCycle programId={programId} /> : null}
      <section aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">Evidence</h2>
        {who.role === 'program' ? (
          <p>
            <Link to={`/programs/${programId}/evidence`}>Your evidence library</Link>: upload documents and link them to
            items.
          </p>
        ) : (
          <p>
            <Link to={`/programs/${programId}/evidence`}>The program&apos;s evidence library</Link>
          </p>
        )}
      </section>
      <section aria-labelledby="progress-heading">
        <h2 id="progress-heading">Progress</h2>
        <p>
          <Link to={`/programs/${programId}/progress`}>
            {who.role === 'program' ? 'Your progress' : "The program's progress"} across cycles, section by section
          </Link>
        </p>
      </section>
      <Badges programId={programId} />
      {who.role !== 'reader' ? (
        <section aria-labelledby="staff-heading">
          <h2 id="staff-heading">Staff</h2>
          <p>
            <Link to={`/programs/${programId}/staff`}>The program&apos;s staff</Link>: invite a colleague, remove someone who
            left.
          </p>
        </section>
      ) : null}
    </Page>
  );
}
