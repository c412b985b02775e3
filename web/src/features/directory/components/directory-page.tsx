import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button } from '@/components/ui/uswds';
import { Failure, Loading, Page, formatDate } from '@/components/ui/page';
import { PAGE_SIZE, useDirectoryPage, type DirectoryCursor, type DirectoryQuery } from '../api/get-directory';
import { STATES } from './states';

/** A page read: where it starts, and how many programs the pages before it showed. */
type Step = { from: DirectoryCursor; before: number };
const FIRST: Step = { from: { next: null, skip: 0 }, before: 0 };

function FilterSelect({
  id,
  label,
  value,
  onChange,
  options,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: [string, string][];
}) {
  return (
    <div>
      <label className="usa-label" htmlFor={id}>
        {label}
      </label>
      <select
        className="usa-select"
        id={id}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      >
        {options.map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The partner directory (public, no sign-in): programs holding a valid NQMS badge, by name;
 * search by name, filter by state and affiliate, page through; each links to its badge's
 * verification page (the API's own page). The filters live in the address, so a search can be shared.
 */
export function DirectoryPage() {
  const [params, setParams] = useSearchParams();
  const query: DirectoryQuery = {
    name: params.get('name') ?? '',
    state: params.get('state') ?? '',
    affiliateId: params.get('affiliate') ?? '',
  };
  const [typed, setTyped] = useState(query.name);
  // The pages read so far for these filters (the last is shown): "Previous page" goes back one.
  const [trail, setTrail] = useState<{ key: string; steps: Step[] }>({ key: '', steps: [FIRST] });
  const key = JSON.stringify(query);
  const steps = trail.key === key ? trail.steps : [FIRST];
  const step = steps.at(-1) ?? FIRST;
  const page = useDirectoryPage(query, step.from);
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const rows = page.data?.rows ?? [];
  const affiliates = new Map(rows.map((r) => [r.affiliate_id, r.affiliate_name]));
  const firstShown = step.before + 1;
  return (
    <Page title="Quality mentoring programs" caption="Partner directory">
      <p>
        Programs that hold a current badge of the National Quality Mentoring System, given by their MENTOR affiliate. A
        badge is not a ranking: it says the program assessed itself against the Elements of Effective Practice for
        Mentoring and works on a plan to improve. Each badge's verification page says whether it is valid today.
      </p>
      <form
        className="nqms-filters"
        role="search"
        aria-label="Find a program"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter('name', typed.trim());
        }}
      >
        <div>
          <label className="usa-label" htmlFor="directory-name">
            Program name
          </label>
          <input
            className="usa-input"
            id="directory-name"
            type="search"
            value={typed}
            onChange={(e) => {
              setTyped(e.target.value);
            }}
          />
        </div>
        <Button type="submit">Search</Button>
        <FilterSelect
          id="directory-state"
          label="State"
          value={query.state}
          onChange={(v) => {
            setFilter('state', v);
          }}
          options={[['', 'All states'], ...STATES]}
        />
        <FilterSelect
          id="directory-affiliate"
          label="Affiliate"
          value={query.affiliateId}
          onChange={(v) => {
            setFilter('affiliate', v);
          }}
          options={[['', 'All affiliates'], ...[...affiliates].sort((x, y) => x[1].localeCompare(y[1]))]}
        />
      </form>
      {page.isPending ? (
        <Loading what="the programs" />
      ) : page.isError ? (
        <Failure error={page.error} />
      ) : (
        <>
          <p role="status" aria-live="polite">
            {rows.length === 0
              ? 'No program found with a badge valid today. A program whose badge expired or was revoked is not listed.'
              : `Programs ${firstShown}–${firstShown + rows.length - 1}${page.data.next ? '' : ` of ${firstShown + rows.length - 1}`}`}
            {page.isFetching ? ' (updating…)' : ''}
          </p>
          <ul className="nqms-directory" aria-label="Programs">
            {rows.map((r) => (
              <li key={`${r.program_name}-${r.verify_url}`} data-testid="directory-entry">
                <h2 className="nqms-directory__name">{r.program_name}</h2>
                <p>
                  <span className="usa-tag nqms-tag nqms-tag--done">{r.level_name}</span> valid until{' '}
                  {formatDate(r.valid_until)}
                </p>
                <p>
                  {r.affiliate_name}
                  {r.state ? `, ${r.state}` : ''}{' '}
                  <button
                    type="button"
                    className="usa-button usa-button--unstyled"
                    onClick={() => {
                      setFilter('affiliate', r.affiliate_id);
                    }}
                  >
                    Only this affiliate's programs<span className="usa-sr-only"> ({r.affiliate_name})</span>
                  </button>
                </p>
                <p>
                  <a href={r.verify_url}>
                    Verify the badge<span className="usa-sr-only"> of {r.program_name}</span>
                  </a>
                </p>
              </li>
            ))}
          </ul>
          <nav className="nqms-item-nav" aria-label="Pages">
            {steps.length > 1 ? (
              <Button
                type="button"
                className="usa-button--outline"
                onClick={() => {
                  setTrail({ key, steps: steps.slice(0, -1) });
                }}
              >
                Previous page
              </Button>
            ) : null}
            {page.data.next ? (
              <Button
                type="button"
                onClick={() => {
                  const next = page.data.next;
                  if (next) setTrail({ key, steps: [...steps, { from: next, before: step.before + rows.length }] });
                }}
              >
                {query.name && page.data.rows.length < PAGE_SIZE ? 'Keep searching' : 'Next page'}
              </Button>
            ) : null}
          </nav>
        </>
      )}
    </Page>
  );
}
