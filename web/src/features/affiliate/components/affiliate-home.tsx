import { useState } from 'react';
import { Link } from 'react-router';
import { Failure, Loading, Page, formatDate } from '@/components/ui/page';
import { affiliateIdsOf, type Me } from '@/features/me/api/get-me';
import { useAffiliate, useAffiliatePrograms } from '../api/affiliate';

/** Whole months from an ISO date to today. */
function monthsSince(iso: string): number {
  const since = new Date(`${iso.slice(0, 10)}T12:00:00`);
  const now = new Date();
  let months = (now.getFullYear() - since.getFullYear()) * 12 + (now.getMonth() - since.getMonth());
  if (now.getDate() < since.getDate()) months -= 1;
  return months;
}

/** An affiliate's staff: its programs (search by name, filter by how long they have matched). */
export function AffiliateHome({ me }: { me: Me }) {
  const ids = affiliateIdsOf(me);
  const [affiliateId, setAffiliateId] = useState(ids[0] ?? '');
  const [search, setSearch] = useState('');
  const [matching, setMatching] = useState<'' | 'new' | 'ready'>('');
  const affiliate = useAffiliate(affiliateId);
  const programs = useAffiliatePrograms(affiliateId);
  const needle = search.trim().toLowerCase();
  const shown = (programs.data ?? []).filter((p) => {
    if (needle && !p.name.toLowerCase().includes(needle)) return false;
    const months = monthsSince(p.matching_since);
    if (matching === 'new' && months >= 12) return false;
    if (matching === 'ready' && months < 12) return false;
    return true;
  });
  return (
    <Page title={affiliate.data ? affiliate.data.name : 'Your affiliate'} caption="Affiliate">
      <p className="nqms-item-nav">
        <Link className="usa-button" to="/reviews">
          Review queue
        </Link>
        <Link className="usa-button usa-button--outline" to={`/affiliates/${affiliateId}/programs/new`}>
          Enroll a program
        </Link>
      </p>
      <p className="nqms-links">
        <Link to={`/affiliates/${affiliateId}/aggregates`}>Findings across your programs</Link>
        <Link to={`/affiliates/${affiliateId}/staff`}>Staff and invitations</Link>
        <Link to={`/affiliates/${affiliateId}/settings`}>Settings and mail suppressions</Link>
      </p>
      <h2>Programs</h2>
      <form className="nqms-filters" role="search" aria-label="Find a program" onSubmit={(e) => { e.preventDefault(); }}>
        {ids.length > 1 ? (
          <div>
            <label className="usa-label" htmlFor="programs-affiliate">
              Affiliate
            </label>
            <select className="usa-select" id="programs-affiliate" value={affiliateId} onChange={(e) => { setAffiliateId(e.target.value); }}>
              {ids.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div>
          <label className="usa-label" htmlFor="programs-search">
            Name
          </label>
          <input className="usa-input" id="programs-search" type="search" value={search} onChange={(e) => { setSearch(e.target.value); }} />
        </div>
        <div>
          <label className="usa-label" htmlFor="programs-matching">
            Matching
          </label>
          <select
            className="usa-select"
            id="programs-matching"
            value={matching}
            onChange={(e) => {
              const v = e.target.value;
              setMatching(v === 'new' || v === 'ready' ? v : '');
            }}
          >
            <option value="">Any time</option>
            <option value="new">Under a year</option>
            <option value="ready">A year or more</option>
          </select>
        </div>
      </form>
      {programs.isPending ? (
        <Loading what="the programs" />
      ) : programs.isError ? (
        <Failure error={programs.error} />
      ) : (
        <>
          <p role="status">
            {shown.length} of {programs.data.length} programs
          </p>
          <ul className="nqms-task-list" aria-label="Programs">
            {shown.map((p) => (
              <li key={p.program_id}>
                <Link to={`/programs/${p.program_id}`}>{p.name}</Link>
                <span>matching since {formatDate(p.matching_since)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}
