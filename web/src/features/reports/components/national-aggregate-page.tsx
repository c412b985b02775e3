import { Link } from 'react-router';
import { Failure, Loading, Page } from '@/components/ui/page';
import { useAffiliates } from '@/features/admin/api/settings';
import { useNationalAggregate, type GridCell } from '../api/aggregates';
import { FindingsFigures, FindingsFilters, FindingsRule, useFindingsChoice } from './aggregate-page';
import { WITHHELD_CELL } from './aggregate-view';

/** The programs counted in the period, per affiliate (the country first): a count, or withheld. */
function ProgramsCounted({ grid, period }: { grid: GridCell[]; period: string }) {
  const affiliates = useAffiliates();
  const names = new Map((affiliates.data ?? []).map((a) => [a.affiliate_id, a.name]));
  const name = (scope: string) => (scope === 'country' ? 'The whole country' : (names.get(scope) ?? scope));
  const rows = grid
    .filter((c) => c.period === period)
    .sort((a, b) => (a.scope === 'country' ? -1 : b.scope === 'country' ? 1 : name(a.scope).localeCompare(name(b.scope))));
  if (rows.length === 0) return null;
  // The affiliates' names first (an id alone says nothing to a reader); on failure, the ids.
  if (affiliates.isPending) return <Loading what="the affiliates" />;
  const caption = `Programs counted, per affiliate (${period === 'all' ? 'any year' : period})`;
  return (
    <div className="usa-table-container--scrollable" tabIndex={0} role="region" aria-label={caption}>
      <table className="usa-table usa-table--borderless nqms-table nqms-aggregate" data-testid="programs-counted">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Affiliate</th>
            <th scope="col">Programs counted</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.scope} data-testid={`counted-${c.scope}`}>
              <th scope="row">{name(c.scope)}</th>
              {c.withheld ? <td className="nqms-withheld">{WITHHELD_CELL}</td> : <td>{String(c.programs ?? 0)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The country's findings for national staff with the results grant: the same tables as an
 * affiliate's, over every affiliate's programs, and how many programs each affiliate adds. The
 * API's 403 (no results grant) is shown under the title, never a blank page.
 */
export function NationalAggregatePage() {
  const choice = useFindingsChoice();
  const national = useNationalAggregate(choice.version, choice.period);
  return (
    <Page title="Findings across the country" caption="MENTOR national">
      <FindingsRule whose="every affiliate's programs" />
      {choice.instruments.isError ? (
        <Failure error={choice.instruments.error} />
      ) : national.isError ? (
        <Failure error={national.error} />
      ) : (
        <>
          <FindingsFilters choice={choice} />
          <FindingsFigures choice={choice} aggregate={national.data?.aggregate} nothing="any affiliate's programs" />
          {national.data ? <ProgramsCounted grid={national.data.grid} period={choice.period} /> : null}
        </>
      )}
      <p>
        <Link to="/">Back to the national home</Link>
      </p>
    </Page>
  );
}
