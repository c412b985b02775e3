import { useState } from 'react';
import { Button } from '@/components/ui/uswds';
import { ActionError, formatDate } from '@/components/ui/page';
import type { AssessmentItem } from '@/features/assessment/api/get-assessment';
import { fieldErrors } from '@/lib/problems';
import { useGoalStep, useSaveGoal, type Goal, type GoalIn } from '../api/plan';

export const GOAL_STATUS: Record<string, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  completed: 'Completed: waiting for the affiliate',
  verified: 'Verified',
  sent_back: 'Sent back',
};
const WORKABLE = new Set(['not_started', 'in_progress', 'sent_back']);

export type Person = { id: string; name: string };

function Warning({ goal, field }: { goal: Goal; field: string }) {
  const found = (goal.warnings ?? []).filter((w) => w.field === field || w.field === `body.${field}`);
  if (found.length === 0) return null;
  return (
    <>
      {found.map((w) => (
        <p key={w.code} className="nqms-warning-text" data-testid={`warning-${field}`}>
          Warning: {w.message}
        </p>
      ))}
    </>
  );
}

const addMonths = (iso: string, months: number) => {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};

/** Add or change a goal tied to an item; the baseline comes from the program's answer. */
export function GoalForm({
  cycleId,
  goal,
  items,
  people,
  onDone,
}: {
  cycleId: string;
  goal: Goal | null;
  items: AssessmentItem[];
  people: Person[];
  onDone: () => void;
}) {
  const today = new Date().toISOString().slice(0, 10);
  const [form, setForm] = useState({
    item_code: goal?.item_code ?? '',
    title: goal?.title ?? '',
    baseline: goal?.baseline_rating ? String(goal.baseline_rating) : '',
    target: goal ? String(goal.target_rating) : '',
    start: goal?.start_date ?? today,
    end: goal?.target_date ?? addMonths(today, 9),
    owner: goal?.owner_id ?? people[0]?.id ?? '',
    steps: (goal?.action_steps ?? []).join('\n'),
  });
  const save = useSaveGoal(cycleId);
  const errors = fieldErrors(save.error);
  const set = (patch: Partial<typeof form>) => { setForm({ ...form, ...patch }); };
  const prefix = goal ? `goal-${goal.goal_id}` : 'goal-new';
  const err = (name: string) =>
    errors[name] ? (
      <span className="usa-error-message" role="alert">
        {errors[name]}
      </span>
    ) : null;
  return (
    <form
      className="nqms-panel"
      aria-label={goal ? `Change the goal ${goal.title}` : 'Add a goal'}
      onSubmit={(e) => {
        e.preventDefault();
        const body: GoalIn = {
          item_code: form.item_code,
          title: form.title,
          owner_id: form.owner,
          target_rating: Number(form.target),
          start_date: form.start,
          target_date: form.end,
          baseline_rating: form.baseline ? Number(form.baseline) : null,
          action_steps: form.steps.split('\n').map((s) => s.trim()).filter(Boolean),
        };
        save.mutate({ body, goal }, { onSuccess: onDone });
      }}
    >
      <h3>{goal ? 'Change the goal' : 'Add a goal'}</h3>
      <label className="usa-label" htmlFor={`${prefix}-item`}>
        Item the goal improves
      </label>
      {err('item_code')}
      <select
        className="usa-select"
        id={`${prefix}-item`}
        required
        value={form.item_code}
        onChange={(e) => {
          const rating = items.find((i) => i.code === e.target.value)?.answer?.rating;
          set({ item_code: e.target.value, baseline: rating ? String(rating) : '' });
        }}
      >
        <option value="">Choose an item</option>
        {items.map((i) => (
          <option key={i.code} value={i.code}>
            {i.code}: {i.prompt.length > 70 ? `${i.prompt.slice(0, 70)}…` : i.prompt}
            {i.answer?.rating ? ` (rated ${i.answer.rating})` : ''}
          </option>
        ))}
      </select>
      <label className="usa-label" htmlFor={`${prefix}-title`}>
        Goal
      </label>
      {err('title')}
      <input className="usa-input" id={`${prefix}-title`} required maxLength={300} value={form.title} onChange={(e) => { set({ title: e.target.value }); }} />
      <div className="nqms-filters">
        <div>
          <label className="usa-label" htmlFor={`${prefix}-baseline`}>
            Baseline rating
          </label>
          <span className="usa-hint" id={`${prefix}-baseline-hint`}>From the program&apos;s answer</span>
          <input className="usa-input usa-input--xs" id={`${prefix}-baseline`} aria-describedby={`${prefix}-baseline-hint`} type="number" min={1} max={5} value={form.baseline} onChange={(e) => { set({ baseline: e.target.value }); }} />
        </div>
        <div>
          <label className="usa-label" htmlFor={`${prefix}-target`}>
            Target rating
          </label>
          {err('target_rating')}
          <input className="usa-input usa-input--xs" id={`${prefix}-target`} type="number" required min={1} max={5} value={form.target} onChange={(e) => { set({ target: e.target.value }); }} />
        </div>
        <div>
          <label className="usa-label" htmlFor={`${prefix}-start`}>
            Start date
          </label>
          <input className="usa-input" id={`${prefix}-start`} type="date" required value={form.start} onChange={(e) => { set({ start: e.target.value }); }} />
        </div>
        <div>
          <label className="usa-label" htmlFor={`${prefix}-end`}>
            Target date
          </label>
          {err('target_date')}
          <input className="usa-input" id={`${prefix}-end`} type="date" required value={form.end} onChange={(e) => { set({ end: e.target.value }); }} />
        </div>
      </div>
      <label className="usa-label" htmlFor={`${prefix}-owner`}>
        Owner (program staff)
      </label>
      {err('owner_id')}
      <select className="usa-select" id={`${prefix}-owner`} required value={form.owner} onChange={(e) => { set({ owner: e.target.value }); }}>
        <option value="">Choose a person</option>
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <label className="usa-label" htmlFor={`${prefix}-steps`}>
        Action steps (one a line)
      </label>
      <textarea className="usa-textarea" id={`${prefix}-steps`} value={form.steps} onChange={(e) => { set({ steps: e.target.value }); }} />
      <div className="nqms-item-nav">
        <Button type="submit" disabled={save.isPending}>
          {goal ? 'Save the goal' : 'Add the goal'}
        </Button>
        <Button type="button" className="usa-button--unstyled" onClick={onDone}>
          Cancel
        </Button>
      </div>
      {save.isError && Object.keys(errors).length === 0 ? <ActionError error={save.error} /> : null}
    </form>
  );
}

function StepForm({
  label,
  fieldLabel,
  withRating,
  onSubmit,
  pending,
  id,
}: {
  label: string;
  fieldLabel: string;
  withRating?: boolean;
  onSubmit: (text: string, rating: number) => void;
  pending: boolean;
  id: string;
}) {
  const [text, setText] = useState('');
  const [rating, setRating] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(text.trim(), Number(rating));
      }}
    >
      {withRating ? (
        <>
          <label className="usa-label" htmlFor={`${id}-rating`}>
            Achieved rating (1 to 5)
          </label>
          <input className="usa-input usa-input--xs" id={`${id}-rating`} type="number" min={1} max={5} required value={rating} onChange={(e) => { setRating(e.target.value); }} />
        </>
      ) : null}
      <label className="usa-label" htmlFor={`${id}-text`}>
        {fieldLabel}
      </label>
      <textarea className="usa-textarea" id={`${id}-text`} required={!withRating} value={text} onChange={(e) => { setText(e.target.value); }} />
      <Button type="submit" className="margin-top-1" disabled={pending}>
        {label}
      </Button>
    </form>
  );
}

/** One goal: its definition with the API's warnings beside the fields, and the next steps. */
export function GoalCard({
  cycleId,
  goal,
  role,
  finalized,
  canEdit,
  people,
  items,
}: {
  cycleId: string;
  goal: Goal;
  role: 'affiliate' | 'program' | 'reader';
  finalized: boolean;
  canEdit: boolean;
  people: Person[];
  items: AssessmentItem[];
}) {
  const [open, setOpen] = useState<'edit' | 'progress' | 'complete' | 'verify' | 'send-back' | null>(null);
  const step = useGoalStep(cycleId, goal.goal_id);
  const done = () => { setOpen(null); };
  const owner = people.find((p) => p.id === goal.owner_id)?.name ?? goal.owner_id;
  const id = `goal-${goal.goal_id}`;
  if (open === 'edit') return <GoalForm cycleId={cycleId} goal={goal} items={items} people={people} onDone={done} />;
  return (
    <article className="nqms-panel" aria-labelledby={`${id}-title`} data-testid="goal">
      <h3 id={`${id}-title`}>
        {goal.item_code}: {goal.title}
      </h3>
      <p>
        <span className={`usa-tag nqms-tag ${goal.status === 'verified' ? 'nqms-tag--done' : 'nqms-tag--doing'}`} data-testid="goal-status">
          {GOAL_STATUS[goal.status] ?? goal.status}
        </span>
        {goal.overdue ? <span className="usa-tag nqms-tag nqms-tag--alert margin-left-1">Overdue</span> : null}
        {goal.retired ? <span className="usa-tag nqms-tag nqms-tag--todo margin-left-1">Retired</span> : null}
      </p>
      <dl className="nqms-readonly">
        <dt>Rating</dt>
        <dd>
          from {goal.baseline_rating ?? 'not rated'} to {goal.target_rating}
          {goal.achieved_rating ? ` (achieved ${goal.achieved_rating})` : ''}
          <Warning goal={goal} field="target_rating" />
        </dd>
        <dt>Dates</dt>
        <dd>
          {formatDate(goal.start_date)} to {formatDate(goal.target_date)}
          <Warning goal={goal} field="target_date" />
        </dd>
        <dt>Owner</dt>
        <dd>{owner}</dd>
        {goal.action_steps.length ? (
          <>
            <dt>Action steps</dt>
            <dd>
              <ol className="usa-list">
                {goal.action_steps.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ol>
            </dd>
          </>
        ) : null}
        {goal.progress?.length ? (
          <>
            <dt>Progress</dt>
            <dd>
              <ul className="usa-list">
                {(goal.progress ?? []).map((p, i) => (
                  <li key={i}>
                    {formatDate(p.on)}: {p.note}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {goal.completion_note ? (
          <>
            <dt>Completion</dt>
            <dd>{goal.completion_note}</dd>
          </>
        ) : null}
        {goal.sent_back_comment && goal.status === 'sent_back' ? (
          <>
            <dt>Sent back by the affiliate</dt>
            <dd>{goal.sent_back_comment}</dd>
          </>
        ) : null}
      </dl>
      {!goal.retired && open === null ? (
        <div className="nqms-item-nav">
          {canEdit && goal.status !== 'verified' ? (
            <Button type="button" className="usa-button--outline" onClick={() => { setOpen('edit'); }}>
              Change the goal
            </Button>
          ) : null}
          {role === 'program' && finalized && WORKABLE.has(goal.status) ? (
            <>
              <Button type="button" className="usa-button--outline" onClick={() => { setOpen('progress'); }}>
                Post progress
              </Button>
              <Button type="button" onClick={() => { setOpen('complete'); }}>
                Mark completed
              </Button>
            </>
          ) : null}
          {role === 'affiliate' && goal.status === 'completed' ? (
            <>
              <Button type="button" onClick={() => { setOpen('verify'); }}>
                Verify
              </Button>
              <Button type="button" className="usa-button--outline" onClick={() => { setOpen('send-back'); }}>
                Send back
              </Button>
            </>
          ) : null}
        </div>
      ) : null}
      {open === 'progress' ? (
        <StepForm id={`${id}-progress`} label="Post progress" fieldLabel="What happened" pending={step.isPending} onSubmit={(note) => { step.mutate({ step: 'progress', note }, { onSuccess: done }); }} />
      ) : open === 'complete' ? (
        <StepForm id={`${id}-complete`} label="Mark completed" fieldLabel="How the goal was met" pending={step.isPending} onSubmit={(note) => { step.mutate({ step: 'complete', note }, { onSuccess: done }); }} />
      ) : open === 'verify' ? (
        <StepForm id={`${id}-verify`} label="Verify the goal" fieldLabel="Note (optional)" withRating pending={step.isPending} onSubmit={(note, rating) => { step.mutate({ step: 'verify', note, achieved_rating: rating }, { onSuccess: done }); }} />
      ) : open === 'send-back' ? (
        <StepForm id={`${id}-send-back`} label="Send the goal back" fieldLabel="What is still missing (the program sees this)" pending={step.isPending} onSubmit={(comment) => { step.mutate({ step: 'send-back', comment }, { onSuccess: done }); }} />
      ) : null}
      {step.isError ? <ActionError error={step.error} /> : null}
    </article>
  );
}
