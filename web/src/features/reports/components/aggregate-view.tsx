import '../reports.css';
import type { Instrument } from '@/features/assessment/api/get-instrument';
import { partFigures, type Aggregate, type SectionAggregate } from '../api/aggregates';

type Figure = 'average_rating' | 'share_in_place';

export const WITHHELD = 'Withheld (fewer than 5 programs)';
/** In a table cell: the caption and the counts above say why. */
export const WITHHELD_CELL = 'Withheld';

function show(figure: Figure, value: number | null): string {
  if (value === null) return figure === 'average_rating' ? 'no rating' : 'none answered';
  return figure === 'average_rating' ? value.toFixed(1) : `${String(Math.round(value * 100))}%`;
}

/** A bar beside the number (decorative: the number is the content). */
function Bar({ figure, value }: { figure: Figure; value: number | null }) {
  const share = value === null ? 0 : figure === 'average_rating' ? value / 5 : value;
  return (
    <span className="nqms-bar" aria-hidden="true">
      <span className="nqms-bar__fill nqms-bar__fill--after" style={{ width: `${String(Math.round(share * 100))}%` }} />
    </span>
  );
}

function Cell({ figure, value, withheld }: { figure: Figure; value: number | null; withheld: boolean }) {
  if (withheld) return <td className="nqms-withheld">{WITHHELD_CELL}</td>;
  return (
    <td>
      <Bar figure={figure} value={value} /> {show(figure, value)}
    </td>
  );
}

/**
 * One aggregate as a table per part of the instrument: each section's average rating and share
 * of practices in place, and the part's own over its sections. A withheld aggregate has no
 * figure at all: every cell says so (never a blank or a 0).
 */
export function AggregateView({ aggregate, instrument }: { aggregate: Aggregate; instrument: Instrument }) {
  const withheld = aggregate.withheld;
  const byLetter = new Map(aggregate.sections.map((s) => [s.letter, s]));
  return (
    <>
      <dl className="nqms-readonly" data-testid="aggregate-counts">
        <dt>Programs counted</dt>
        <dd className={withheld ? 'nqms-withheld' : undefined}>{withheld ? WITHHELD : String(aggregate.programs ?? 0)}</dd>
        <dt>Self-assessments counted</dt>
        <dd className={withheld ? 'nqms-withheld' : undefined}>{withheld ? WITHHELD : String(aggregate.cycles ?? 0)}</dd>
      </dl>
      {instrument.parts.map((part) => {
        const sections = instrument.sections.filter((s) => s.part === part.id);
        const counted = sections.map((s) => byLetter.get(s.letter)).filter((s): s is SectionAggregate => Boolean(s));
        const whole = partFigures(counted);
        const caption = `${part.title}: per section${withheld ? ' (withheld: fewer than 5 programs)' : ''}`;
        return (
          <div key={part.id} className="usa-table-container--scrollable" tabIndex={0} role="region" aria-label={caption}>
            <table className="usa-table usa-table--borderless nqms-table nqms-comparison nqms-aggregate" data-testid={`part-${part.id}`}>
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">Section</th>
                  <th scope="col">Average rating (1 to 5)</th>
                  <th scope="col">Practices in place</th>
                </tr>
              </thead>
              <tbody>
                {sections.map((s) => {
                  const figures = byLetter.get(s.letter);
                  return (
                    <tr key={s.letter} data-testid={`section-${s.letter}`}>
                      <th scope="row">
                        {s.letter}. {s.title}
                      </th>
                      <Cell figure="average_rating" value={figures?.average_rating ?? null} withheld={withheld} />
                      <Cell figure="share_in_place" value={figures?.share_in_place ?? null} withheld={withheld} />
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr data-testid={`part-${part.id}-total`}>
                  <th scope="row">The whole part</th>
                  <Cell figure="average_rating" value={whole.average_rating} withheld={withheld} />
                  <Cell figure="share_in_place" value={whole.share_in_place} withheld={withheld} />
                </tr>
              </tfoot>
            </table>
          </div>
        );
      })}
    </>
  );
}
