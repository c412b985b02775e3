import { formatTime } from '@/components/ui/page';
import type { Answer } from '../api/get-assessment';
import type { AnswerForm } from '../autosave';

const LABEL: Record<string, string> = { yes: 'Yes', no: 'No', 'n/a': 'Not applicable' };

function AnswerText({ form }: { form: AnswerForm }) {
  return (
    <dl className="nqms-readonly">
      <dt>In practice</dt>
      <dd>{form.in_practice ? LABEL[form.in_practice] : 'Not answered'}</dd>
      {form.rating ? (
        <>
          <dt>Rating</dt>
          <dd>{form.rating} of 5</dd>
        </>
      ) : null}
      <dt>Notes</dt>
      <dd>
        <pre>{form.notes || '(none)'}</pre>
      </dd>
    </dl>
  );
}

/** A colleague saved first (409): both answers side by side; the person chooses. */
export function ConflictView({
  mine,
  theirs,
  onChoose,
}: {
  mine: AnswerForm;
  theirs: Answer | null;
  onChoose: (choice: 'mine' | 'theirs' | 'merge') => void;
}) {
  const theirsForm: AnswerForm = {
    in_practice: theirs?.in_practice ?? null,
    rating: theirs?.rating ?? null,
    notes: theirs?.notes ?? '',
  };
  return (
    <div className="usa-alert usa-alert--warning" role="alert" data-testid="conflict">
      <div className="usa-alert__body">
        <h2 className="usa-alert__heading">A colleague saved this item while you were editing</h2>
        <p className="usa-alert__text">Nothing is lost: choose which answer to keep.</p>
        <div className="nqms-conflict">
          <section aria-labelledby="conflict-mine">
            <h3 id="conflict-mine">Your answer</h3>
            <AnswerText form={mine} />
          </section>
          <section aria-labelledby="conflict-theirs">
            <h3 id="conflict-theirs">Your colleague&apos;s answer{theirs ? ` (saved ${formatTime(theirs.saved_at)})` : ''}</h3>
            <AnswerText form={theirsForm} />
          </section>
        </div>
        <div className="nqms-item-nav">
          <button type="button" className="usa-button" onClick={() => { onChoose('mine'); }}>
            Keep mine
          </button>
          <button type="button" className="usa-button usa-button--outline" onClick={() => { onChoose('theirs'); }}>
            Take theirs
          </button>
          <button type="button" className="usa-button usa-button--outline" onClick={() => { onChoose('merge'); }}>
            Keep mine and merge the notes
          </button>
        </div>
      </div>
    </div>
  );
}
