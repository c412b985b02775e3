import { useState } from 'react';
import { Button } from '@/components/ui/uswds';
import { ActionError, formatTime } from '@/components/ui/page';
import { AREAS, useSavePlanText, type PlanText } from '../api/plan';

type Area = (typeof AREAS)[number][0];
type Field = 'strengths' | 'areas_for_improvement';
type TextForm = Record<Area, Record<Field, string>>;

const formOf = (t: PlanText): TextForm => ({
  management: { strengths: t.management.strengths, areas_for_improvement: t.management.areas_for_improvement },
  operations: { strengths: t.operations.strengths, areas_for_improvement: t.operations.areas_for_improvement },
  evaluation: { strengths: t.evaluation.strengths, areas_for_improvement: t.evaluation.areas_for_improvement },
});

const FIELDS: [Field, string][] = [
  ['strengths', 'Strengths'],
  ['areas_for_improvement', 'Areas for improvement'],
];

/** Mine and theirs, each field's text kept once (both when they differ). */
function mergeForms(mine: TextForm, theirs: TextForm): TextForm {
  const out = structuredClone(theirs);
  for (const [area] of AREAS) {
    for (const [field] of FIELDS) {
      const a = mine[area][field];
      const b = theirs[area][field];
      out[area][field] = a && b && a !== b ? `${a}\n\n${b}` : a || b;
    }
  }
  return out;
}

/** Strengths and areas for improvement in the three areas; saved at the version read. */
export function PlanTextSection({ cycleId, text, editable }: { cycleId: string; text: PlanText; editable: boolean }) {
  const [form, setForm] = useState<TextForm>(() => formOf(text));
  const [version, setVersion] = useState(text.version);
  const [conflict, setConflict] = useState<PlanText | null | undefined>(undefined);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const save = useSavePlanText(cycleId);
  const send = (body: TextForm, at: number) => {
    save.mutate(
      { body, version: at },
      {
        onSuccess: (outcome) => {
          if (outcome.kind === 'conflict') {
            setConflict(outcome.current);
            return;
          }
          setConflict(undefined);
          setVersion(outcome.text.version);
          setSavedAt(outcome.text.changed_at ?? new Date().toISOString());
        },
      },
    );
  };
  const theirs = conflict ? formOf(conflict) : null;
  return (
    <section aria-labelledby="plan-text-heading">
      <h2 id="plan-text-heading">Strengths and areas for improvement</h2>
      {conflict !== undefined ? (
        <div className="usa-alert usa-alert--warning" role="alert" data-testid="conflict">
          <div className="usa-alert__body">
            <h3 className="usa-alert__heading">Someone saved the plan while you were editing</h3>
            <p className="usa-alert__text">Nothing is lost: choose which text to keep.</p>
            <div className="nqms-conflict">
              {[
                ['Yours', form],
                ['Theirs', theirs],
              ].map(([label, f]) => (
                <section key={label as string} aria-label={label as string}>
                  <h4>{label as string}</h4>
                  {AREAS.map(([area, title]) => (
                    <p key={area} className="nqms-pre">
                      <strong>{title}</strong>
                      {FIELDS.map(([field, label]) => `\n${label}: ${(f as TextForm | null)?.[area][field] || '(none)'}`).join('')}
                    </p>
                  ))}
                </section>
              ))}
            </div>
            <div className="nqms-item-nav">
              <Button type="button" onClick={() => { send(form, conflict?.version ?? 0); }}>
                Keep mine
              </Button>
              <Button
                type="button"
                className="usa-button--outline"
                onClick={() => {
                  if (conflict) {
                    setForm(formOf(conflict));
                    setVersion(conflict.version);
                  }
                  setConflict(undefined);
                }}
              >
                Take theirs
              </Button>
              <Button
                type="button"
                className="usa-button--outline"
                onClick={() => {
                  const both = theirs ? mergeForms(form, theirs) : form;
                  setForm(both);
                  send(both, conflict?.version ?? 0);
                }}
              >
                Keep both (merge the texts)
              </Button>
            </div>
          </div>
        </div>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send(form, version);
        }}
      >
        {AREAS.map(([area, title]) => (
          <fieldset className="usa-fieldset nqms-panel" key={area}>
            <legend className="usa-legend nqms-legend">{title}</legend>
            {FIELDS.map(([field, label]) => (
              <div key={field}>
                {editable ? (
                  <label className="usa-label" htmlFor={`${area}-${field}`}>
                    {label}
                  </label>
                ) : (
                  <h3 className="usa-label">{label}</h3>
                )}
                {editable ? (
                  <textarea
                    className="usa-textarea"
                    id={`${area}-${field}`}
                    value={form[area][field]}
                    onChange={(e) => {
                      setForm({ ...form, [area]: { ...form[area], [field]: e.target.value } });
                    }}
                  />
                ) : (
                  <p id={`${area}-${field}`} className="nqms-pre">
                    {form[area][field] || '(none)'}
                  </p>
                )}
              </div>
            ))}
          </fieldset>
        ))}
        {editable ? (
          <div className="nqms-item-nav">
            <Button type="submit" disabled={save.isPending}>
              Save the text
            </Button>
            <p className="nqms-status nqms-status--saved" role="status" data-testid="plan-save-status">
              {save.isPending ? 'Saving…' : savedAt ? `Saved ${formatTime(savedAt)}` : ''}
            </p>
          </div>
        ) : null}
        {save.isError ? <ActionError error={save.error} /> : null}
      </form>
    </section>
  );
}
