import { useState } from 'react';
import { Link } from 'react-router';
import { Failure, Loading, Page, formatDate } from '@/components/ui/page';
import { useProgramProgress, type CycleProgress } from '../api/get-progress';

type Figure = 'average_rating' | 'share_in_practice';

/** "cycle 2 of 3, opened June 1, 2026, submitted …": the number tells apart cycles of one day. */
function cycleLabel(c: CycleProgress, all: CycleProgress[]): string {
  const submitted = c.submitted_at ? `, submitted ${formatDate(c.submitted_at)}` : '';
  return `cycle ${String(all.indexOf(c) + 1)} of ${String(all.length)}, opened ${formatDate(c.opened_at)}${submitted}`;
}

function show(figure: Figure, value: number | null | undefined): string {
  if (value === null || value === undefined) return 'none';
  return figure === 'average_rating' ? value.toFixed(1) : `${Math.round(value * 100)}%`;
}

/** "up 1.0", "down 5 points", "no change": words, not only a sign or a colour. */
function change(figure: Figure, before: number | null | undefined, after: number | null | undefined): string {
  if (before === null || before === undefined || after === null || after === undefined) return 'not comparable';
  const delta = figure === 'average_rating' ? Math.round((after - before) * 10) / 10 : Math.round((after - before) * 100);
  if (delta === 0) return 'no change';
  const size = figure === 'average_rating' ? Math.abs(delta).toFixed(1) : `${String(Math.abs(delta))} points`;
  return `${delta > 0 ? 'up' : 'down'} ${size}`;
}

/** A bar drawn beside the number (decorative: the number is the content). */
function Bar({ figure, value, tone }: { figure: Figure; value: number | null | undefined; tone: 'before' | 'after' }) {
  const share = value === null || value === undefined ? 0 : figure === 'average_rating' ? value / 5 : value;
  return (
    <span className="nqms-bar" aria-hidden="true">
      <span className={`nqms-bar__fill nqms-bar__fill--${tone}`} style={{ width: `${String(Math.round(share * 100))}%` }} />
    </span>
  );
}

function ComparisonTable({
  figure,
  caption,
  before,
  after,
}: {
  figure: Figure;
  caption: string;
  before: CycleProgress;
  after: CycleProgress;
}) {
  const earlier = new Map(before.sections.map((s) => [s.letter, s]));
  return (
    <div className="usa-table-container--scrollable" tabIndex={0} role="region" aria-label={caption}>
      <table className="usa-table usa-table--borderless nqms-table nqms-comparison" data-testid={`comparison-${figure}`}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Section</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {after.sections.map((s) => {
            const old = earlier.get(s.letter);
            return (
              <tr key={s.letter} data-testid={`section-${s.letter}`}>
                <th scope="row">
                  {s.letter}. {s.title}
                </th>
                <td>
                  <Bar figure={figure} value={old?.[figure]} tone="before" /> {show(figure, old?.[figure])}
                </td>
                <td>
                  <Bar figure={figure} value={s[figure]} tone="after" /> {show(figure, s[figure])}
                </td>
                <td>{change(figure, old?.[figure], s[figure])}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The program against its own earlier cycles, per section (never against other programs). */
export function ProgressPage({ programId }: { programId: string }) {
  const progress = useProgramProgress(programId);
  const [chosen, setChosen] = useState('');
  if (progress.isPending) return <Loading what="the progress" />;
  if (progress.isError) return <Failure error={progress.error} />;
  const cycles = progress.data.cycles;
  const after = cycles.at(-1);
  const earlier = cycles.slice(0, -1);
  const before = earlier.find((c) => c.cycle_id === chosen) ?? earlier.at(-1);
  return (
    <Page title="Progress across your cycles" caption={progress.data.program_name}>
      <p>
        Each submitted self-assessment against an earlier one of the same program, section by section: the average
        rating of the practices in place (1 to 5) and the share of practices in place. A program is only ever compared
        with itself.
      </p>
      {!after || !before ? (
        <p data-testid="no-comparison">
          A comparison needs two submitted self-assessments;{' '}
          {after ? `this program has one (${cycleLabel(after, cycles)}).` : 'this program has none yet.'}
        </p>
      ) : (
        <>
          {earlier.length > 1 ? (
            <div className="nqms-filters">
              <div>
                <label className="usa-label" htmlFor="progress-before">
                  Compare with
                </label>
                <select
                  className="usa-select"
                  id="progress-before"
                  value={before.cycle_id}
                  onChange={(e) => {
                    setChosen(e.target.value);
                  }}
                >
                  {earlier.map((c) => (
                    <option key={c.cycle_id} value={c.cycle_id}>
                      {cycleLabel(c, cycles)}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          ) : null}
          <ul className="nqms-legend" data-testid="compared-cycles">
            <li>
              <span className="nqms-key nqms-key--before" aria-hidden="true" /> <strong>Before</strong>:{' '}
              {cycleLabel(before, cycles)}
            </li>
            <li>
              <span className="nqms-key nqms-key--after" aria-hidden="true" /> <strong>After</strong>:{' '}
              {cycleLabel(after, cycles)}
            </li>
          </ul>
          <ComparisonTable figure="average_rating" caption="Average rating per section (1 to 5)" before={before} after={after} />
          <ComparisonTable figure="share_in_practice" caption="Practices in place per section" before={before} after={after} />
        </>
      )}
      <p>
        <Link to={`/programs/${programId}`}>Back to the program</Link>
      </p>
    </Page>
  );
}
