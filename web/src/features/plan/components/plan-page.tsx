import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/uswds';
import { ActionError, Failure, Loading, Page, STATE_LABELS, formatDate } from '@/components/ui/page';
import { useAssessment } from '@/features/assessment/api/get-assessment';
import { useProgramMembers } from '@/features/affiliate/api/affiliate';
import { useProgramRole } from '@/features/me/api/use-program-role';
import { useFinalizePlan, usePlan } from '../api/plan';
import { DocumentsPanel } from '@/features/reports/components/documents-panel';
import { GoalCard, GoalForm } from './goals';
import { PlanTextSection } from './plan-text';

/** Finalize (affiliate staff); a refusal is said until the goals change (the key remounts it). */
function Finalize({ cycleId, active }: { cycleId: string; active: number }) {
  const finalize = useFinalizePlan(cycleId);
  return (
    <section aria-labelledby="finalize-heading" className="nqms-panel">
      <h2 id="finalize-heading">Finalize the plan</h2>
      <p>
        Finalizing agrees the plan with the program ({active} active {active === 1 ? 'goal' : 'goals'} now; 3 to 5 are needed)
        and issues the program&apos;s badge.
      </p>
      <Button type="button" disabled={finalize.isPending} onClick={() => { finalize.mutate(undefined); }}>
        Finalize the plan
      </Button>
      {finalize.isError ? <ActionError error={finalize.error} /> : null}
    </section>
  );
}

/** The plan, written together once the review is completed; finalized by the affiliate. */
export function PlanPage({ cycleId }: { cycleId: string }) {
  const plan = usePlan(cycleId);
  const assessment = useAssessment(cycleId);
  const programId = assessment.data?.cycle.program_id;
  const who = useProgramRole(programId);
  const members = useProgramMembers(programId);
  const [adding, setAdding] = useState(false);
  if (plan.isPending || assessment.isPending || who.pending) return <Loading what="the plan" />;
  if (plan.isError) return <Failure error={plan.error} />;
  if (assessment.isError) return <Failure error={assessment.error} />;
  const state = plan.data.state; // the cycle's, as fresh as the plan
  const finalized = state === 'plan_finalized';
  const role = who.role;
  // The program's staff edit the draft; the affiliate's also the finalized plan.
  const canEdit = (role === 'program' && state === 'review_completed') || (role === 'affiliate' && (state === 'review_completed' || finalized));
  const people = (members.data ?? []).filter((m) => m.status === 'active').map((m) => ({ id: m.user_id, name: m.name }));
  const { summary } = plan.data;
  const active = plan.data.goals.filter((g) => !g.retired);
  return (
    <Page title="Improvement and Innovation Plan" caption={<Link to={`/programs/${plan.data.program_id}`}>{who.program?.name ?? 'Program'}</Link>}>
      <dl className="nqms-readonly">
        <dt>State</dt>
        <dd data-testid="plan-state">
          {finalized && plan.data.finalized_at ? `Finalized on ${formatDate(plan.data.finalized_at)}` : STATE_LABELS[state] ?? state}
        </dd>
        <dt>Goals</dt>
        <dd data-testid="goal-summary">
          {summary.active} active, {summary.verified} verified, {summary.open} open
          {summary.overdue ? `, ${summary.overdue} overdue` : ''}
        </dd>
      </dl>
      {state !== 'review_completed' && !finalized ? (
        <p>The plan is written once the affiliate has completed the review.</p>
      ) : null}
      <PlanTextSection cycleId={cycleId} text={plan.data.text} editable={canEdit} />
      <section aria-labelledby="goals-heading">
        <h2 id="goals-heading">Goals</h2>
        <p>A plan is finalized with 3 to 5 goals, each tied to an item of the self-assessment.</p>
        {plan.data.goals.length === 0 ? <p>No goal yet.</p> : null}
        {plan.data.goals.map((g) => (
          <GoalCard key={g.goal_id} cycleId={cycleId} goal={g} role={role} finalized={finalized} canEdit={canEdit} people={people} items={assessment.data.items} />
        ))}
        {canEdit && adding ? (
          <GoalForm cycleId={cycleId} goal={null} items={assessment.data.items} people={people} onDone={() => { setAdding(false); }} />
        ) : canEdit && active.length < 5 ? (
          <Button type="button" className="usa-button--outline" onClick={() => { setAdding(true); }}>
            Add a goal
          </Button>
        ) : null}
      </section>
      {role === 'affiliate' && state === 'review_completed' ? <Finalize key={active.length} cycleId={cycleId} active={active.length} /> : null}
      <DocumentsPanel cycleId={cycleId} kinds={['plan.pdf', 'goals.csv', 'assessment-goals.pdf']} />
    </Page>
  );
}
