import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { Alert } from '@/components/ui/uswds';
import { Failure, Loading, Page, formatDate } from '@/components/ui/page';
import { useAffiliatePrograms } from '@/features/affiliate/api/affiliate';
import { useMe, type Me } from '@/features/me/api/get-me';
import { useAffiliates } from '../api/settings';

export const isNationalStaff = (me: Me) => me.roles.includes('national-staff');
export const hasResultsGrant = (me: Me) => me.memberships.some((m) => m.scope === 'national' && (m.grants ?? []).includes('results'));

/** Always in view for national staff: every page they open is read-only for them. */
export function ReadOnlyBanner() {
  return (
    <div className="usa-alert usa-alert--info usa-alert--slim nqms-readonly-banner" role="note" aria-label="Read-only">
      <div className="usa-alert__body">
        <p className="usa-alert__text">
          <strong>Read-only.</strong> You are signed in as national staff: you read the affiliates&apos; and programs&apos;
          work and change none of it.
        </p>
      </div>
    </div>
  );
}

function Programs({ affiliateId }: { affiliateId: string }) {
  const programs = useAffiliatePrograms(affiliateId);
  if (programs.isPending) return <Loading what="the programs" />;
  if (programs.isError) return <Failure error={programs.error} />;
  if (programs.data.length === 0) return <p>No program is enrolled yet.</p>;
  return (
    <ul className="nqms-task-list" aria-label="Programs">
      {programs.data.map((p) => (
        <li key={p.program_id}>
          <Link to={`/programs/${p.program_id}`}>{p.name}</Link>
          <span>matching since {formatDate(p.matching_since)}</span>
        </li>
      ))}
    </ul>
  );
}

/** National staff: every affiliate and its programs, every affiliate's review queue (results grant). */
export function NationalHome({ me }: { me: Me }) {
  const affiliates = useAffiliates();
  const [chosen, setChosen] = useState('');
  const results = hasResultsGrant(me);
  const affiliateId = chosen || affiliates.data?.[0]?.affiliate_id || '';
  return (
    <Page title="National staff" caption="MENTOR national">
      {results ? (
        <p className="nqms-item-nav">
          <Link className="usa-button" to="/reviews">
            Every affiliate&apos;s review queue
          </Link>
          <Link className="usa-button usa-button--outline" to="/aggregates">
            Findings across the country
          </Link>
          <Link className="usa-button usa-button--outline" to="/research-exports">
            Research export
          </Link>
        </p>
      ) : (
        <Alert type="info" headingLevel="h2" heading="No results grant">
          Your account does not hold the results grant, so programs&apos; assessments, reviews and plans are not yours to
          read. A national admin gives the grant.
        </Alert>
      )}
      <h2>Affiliates</h2>
      {affiliates.isPending ? (
        <Loading what="the affiliates" />
      ) : affiliates.isError ? (
        <Failure error={affiliates.error} />
      ) : affiliates.data.length === 0 ? (
        <p>No affiliate is yours to see.</p>
      ) : (
        <>
          <div className="usa-table-container--scrollable" tabIndex={0} role="region" aria-label="Affiliates">
            <table className="usa-table usa-table--borderless usa-table--stacked nqms-table">
              <thead>
                <tr>
                  <th scope="col">Affiliate</th>
                  <th scope="col">State</th>
                  <th scope="col">Contact</th>
                  <th scope="col">Renewal grace</th>
                </tr>
              </thead>
              <tbody>
                {affiliates.data.map((a) => (
                  <tr key={a.affiliate_id}>
                    <th scope="row" data-label="Affiliate">
                      {a.name}
                    </th>
                    <td data-label="State">{a.state}</td>
                    <td data-label="Contact">{a.contact_email}</td>
                    <td data-label="Renewal grace">{a.renewal_grace_months} months</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {results ? (
            <section aria-labelledby="programs-heading">
              <h2 id="programs-heading">Programs</h2>
              <div className="nqms-filters">
                <div>
                  <label className="usa-label" htmlFor="national-affiliate">
                    Affiliate
                  </label>
                  <select className="usa-select" id="national-affiliate" value={affiliateId} onChange={(e) => { setChosen(e.target.value); }}>
                    {affiliates.data.map((a) => (
                      <option key={a.affiliate_id} value={a.affiliate_id}>
                        {a.name}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <Programs affiliateId={affiliateId} />
            </section>
          ) : null}
        </>
      )}
    </Page>
  );
}

/** Their own settings and invitations are theirs to change. */
const OWN = /^\/(settings|invitations)(\/|$)/;

/** The banner on every page a national staff member opens about others' work. */
export function NationalReadOnly() {
  const me = useMe();
  const { pathname } = useLocation();
  return me.data && isNationalStaff(me.data) && !OWN.test(pathname) ? <ReadOnlyBanner /> : null;
}
