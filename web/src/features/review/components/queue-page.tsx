import { useState } from 'react';
import { Link } from 'react-router';
import { Failure, Loading, Page, STATE_LABELS, formatDate } from '@/components/ui/page';
import { useQueue, type QueueFilters } from '../api/review';
import { useMe } from '@/features/me/api/get-me';
import { isNationalStaff } from '@/features/admin/components/national-home';
import { AffiliateFilter } from '@/features/admin/components/affiliate-filter';

/** The affiliate's review queue: submitted assessments waiting or in review, oldest first. */
export function QueuePage() {
  const [filters, setFilters] = useState<QueueFilters>({});
  const queue = useQueue(filters);
  const me = useMe();
  const national = me.data ? isNationalStaff(me.data) : false;
  return (
    <Page title={national ? "Every affiliate's review queue" : 'Review queue'}>
      <form className="nqms-filters" aria-label="Filter the queue" onSubmit={(e) => { e.preventDefault(); }}>
        <div>
          <label className="usa-label" htmlFor="queue-state">
            State
          </label>
          <select
            className="usa-select"
            id="queue-state"
            value={filters.state ?? ''}
            onChange={(e) => {
              const value = e.target.value;
              setFilters({ ...filters, state: value === 'submitted' || value === 'in_review' ? value : undefined });
            }}
          >
            <option value="">Waiting or in review</option>
            <option value="submitted">Waiting for review</option>
            <option value="in_review">In review</option>
          </select>
        </div>
        {national ? (
          <AffiliateFilter value={filters.affiliateId ?? ''} onChange={(affiliateId) => { setFilters({ ...filters, affiliateId: affiliateId || undefined }); }} />
        ) : null}
        <div className="usa-checkbox" hidden={national}>
          <input
            className="usa-checkbox__input"
            id="queue-mine"
            type="checkbox"
            checked={Boolean(filters.assignedToMe)}
            onChange={(e) => { setFilters({ ...filters, assignedToMe: e.target.checked }); }}
          />
          <label className="usa-checkbox__label" htmlFor="queue-mine">
            Assigned to me
          </label>
        </div>
        <div className="usa-checkbox">
          <input
            className="usa-checkbox__input"
            id="queue-overdue"
            type="checkbox"
            checked={Boolean(filters.overdue)}
            onChange={(e) => { setFilters({ ...filters, overdue: e.target.checked }); }}
          />
          <label className="usa-checkbox__label" htmlFor="queue-overdue">
            Overdue
          </label>
        </div>
      </form>
      {queue.isPending ? (
        <Loading what="the queue" />
      ) : queue.isError ? (
        <Failure error={queue.error} />
      ) : queue.data.length === 0 ? (
        <p role="status">Nothing to review with these filters.</p>
      ) : (
        <div className="usa-table-container--scrollable" tabIndex={0} role="region" aria-label="Assessments to review">
          <table className="usa-table usa-table--borderless usa-table--stacked nqms-table">
            <thead>
              <tr>
                <th scope="col">Program</th>
                <th scope="col">State</th>
                <th scope="col">Submitted</th>
                <th scope="col">Due</th>
                <th scope="col">Progress</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.map((row) => {
                const done = row.progress.reviewed + row.progress.flagged;
                return (
                  <tr key={row.cycle_id}>
                    <th scope="row" data-label="Program">
                      <Link to={`/cycles/${row.cycle_id}/review`}>{row.program_name}</Link>
                    </th>
                    <td data-label="State">
                      {STATE_LABELS[row.state] ?? row.state}
                      {row.overdue ? <span className="usa-tag nqms-tag nqms-tag--alert margin-left-1">Overdue</span> : null}
                    </td>
                    <td data-label="Submitted">{formatDate(row.submitted_at)}</td>
                    <td data-label="Due">{formatDate(row.due_date)}</td>
                    <td data-label="Progress">
                      {done} of {row.progress.total} reviewed
                      {row.progress.flagged ? `, ${row.progress.flagged} flagged` : ''}
                      {row.reviewer_id ? '' : ' · no reviewer yet'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
