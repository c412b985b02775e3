import { Link } from 'react-router';
import { useReview, type ItemReview } from '../api/get-review';

const STATUS: Record<ItemReview['status'], string> = {
  needs_review: 'Not reviewed yet',
  reviewed: 'Reviewed',
  flagged: 'Flagged by your affiliate',
};

/** On a submitted item: the affiliate's status and note to the program, once there is one. */
export function ItemReviewNote({ cycleId, code }: { cycleId: string; code: string }) {
  const review = useReview(cycleId, true);
  const item = review.data?.items.find((i) => i.item_code === code);
  if (!item || item.status === 'needs_review') return null;
  return (
    <div className={`usa-alert usa-alert--${item.status === 'flagged' ? 'warning' : 'info'} usa-alert--slim`}>
      <div className="usa-alert__body">
        <p className="usa-alert__text">
          <strong>{STATUS[item.status]}</strong>
          {item.note_to_program ? `: ${item.note_to_program}` : ''}
        </p>
      </div>
    </div>
  );
}

/** On the task list of a submitted assessment: the items the affiliate flagged, with notes. */
export function FlaggedItems({ cycleId }: { cycleId: string }) {
  const review = useReview(cycleId, true);
  const flagged = review.data?.items.filter((i) => i.status === 'flagged') ?? [];
  if (flagged.length === 0) return null;
  return (
    <section aria-labelledby="flags-heading">
      <h2 id="flags-heading">Flagged by your affiliate</h2>
      <ul className="nqms-task-list">
        {flagged.map((i) => (
          <li key={i.item_code}>
            <span>
              <Link to={`/cycles/${cycleId}/items/${i.item_code}`}>{i.item_code}</Link>
              {i.note_to_program ? `: ${i.note_to_program}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
