import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '@/components/ui/uswds';
import { Failure, Loading, Page } from '@/components/ui/page';
import { useAffiliate } from '@/features/affiliate/api/affiliate';
import { useInstrument } from '@/features/assessment/api/get-instrument';
import { useAffiliateAggregate, useInstruments, type Aggregate } from '../api/aggregates';
import { AggregateView } from './aggregate-view';

/** The periods the API keeps: every year (`all`) and calendar years of submission, newest first. */
function periods(now: Date): string[] {
  const year = now.getFullYear();
  return ['all', ...Array.from({ length: 6 }, (_, i) => String(year - i))];
}

/** The instrument version and period asked for in the address (so a view can be shared), and the versions known. */
export function useFindingsChoice() {
  const [params, setParams] = useSearchParams();
  const instruments = useInstruments();
  // Every version the service knows (the packaged ones have no publication date), newest last.
  const published = [...new Map((instruments.data ?? []).map((i) => [i.version, i])).values()].sort(
    (a, b) => a.version - b.version,
  );
  const asked = Number(params.get('version'));
  const version = published.some((i) => i.version === asked) ? asked : published.at(-1)?.version;
  const period = params.get('period') ?? 'all';
  const choose = (name: 'period' | 'version', value: string) => {
    const next = new URLSearchParams(params);
    next.set(name, value);
    setParams(next, { replace: true });
  };
  return { instruments, published, version, period, choose };
}

export type FindingsChoice = ReturnType<typeof useFindingsChoice>;

/** The period (and the instrument, when more than one is published) to count. */
export function FindingsFilters({ choice }: { choice: FindingsChoice }) {
  const { published, version, period, choose } = choice;
  return (
    <form className="nqms-filters" aria-label="Which findings" onSubmit={(e) => { e.preventDefault(); }}>
      <div>
        <label className="usa-label" htmlFor="aggregate-period">
          Submitted in
        </label>
        <select className="usa-select" id="aggregate-period" value={period} onChange={(e) => { choose('period', e.target.value); }}>
          {periods(new Date()).map((p) => (
            <option key={p} value={p}>
              {p === 'all' ? 'Any year' : p}
            </option>
          ))}
        </select>
      </div>
      {published.length > 1 ? (
        <div>
          <label className="usa-label" htmlFor="aggregate-version">
            Instrument
          </label>
          <select className="usa-select" id="aggregate-version" value={version} onChange={(e) => { choose('version', e.target.value); }}>
            {published.map((i) => (
              <option key={i.version} value={i.version}>
                {i.title} (version {i.version})
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </form>
  );
}

/**
 * The figures of one aggregate once read (undefined while it is being read; the page shows a
 * failure to read it): the "Figures withheld" notice, "Nothing counted yet" (``nothing`` says by
 * whom), then a table per part of the instrument.
 */
export function FindingsFigures({
  choice,
  aggregate,
  nothing,
}: {
  choice: FindingsChoice;
  aggregate: Aggregate | undefined;
  nothing: string;
}) {
  const { instruments, version, period } = choice;
  const instrument = useInstrument(version);
  if (instruments.isSuccess && version === undefined) return <p>No instrument is published yet.</p>;
  if (aggregate === undefined || instrument.isPending) return <Loading what="the findings" />;
  if (instrument.isError) return <Failure error={instrument.error} />;
  return (
    <>
      {aggregate.withheld ? (
        <Alert type="info" headingLevel="h2" heading="Figures withheld">
          {aggregate.reason ?? 'Too few programs are counted here to show their figures.'}
        </Alert>
      ) : aggregate.programs === 0 ? (
        <Alert type="info" headingLevel="h2" heading="Nothing counted yet">
          No self-assessment submitted {period === 'all' ? 'yet' : `in ${period}`} by {nothing}.
        </Alert>
      ) : null}
      <AggregateView aggregate={aggregate} instrument={instrument.data} />
    </>
  );
}

/** What every findings page says of how the figures are counted and withheld. */
export function FindingsRule({ whose }: { whose: ReactNode }) {
  return (
    <p>
      The self-assessments {whose} submitted (and did not withdraw), counted together: never a program on its own. A
      group of fewer than 5 programs is withheld, and so is any group that would let one be worked out.
    </p>
  );
}

/**
 * An affiliate's findings across the programs it serves, never a row per program: per part and
 * section of the instrument, over the submitted self-assessments of a year (or every year). The
 * period and version are in the address, so a view can be shared.
 */
export function AggregatePage({ affiliateId }: { affiliateId: string }) {
  const affiliate = useAffiliate(affiliateId);
  const choice = useFindingsChoice();
  const aggregate = useAffiliateAggregate(affiliateId, choice.version, choice.period);
  if (affiliate.isError) return <Failure error={affiliate.error} />;
  if (choice.instruments.isError) return <Failure error={choice.instruments.error} />;
  if (aggregate.isError) return <Failure error={aggregate.error} />;
  return (
    <Page title="Findings across your programs" caption={affiliate.data?.name ?? 'Affiliate'}>
      <FindingsRule whose="your programs" />
      <FindingsFilters choice={choice} />
      <FindingsFigures choice={choice} aggregate={aggregate.data} nothing="the programs you serve" />
      <p>
        <Link to="/">Back to your programs</Link>
      </p>
    </Page>
  );
}
