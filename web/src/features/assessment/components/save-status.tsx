import { formatTime } from '@/components/ui/page';
import type { SaveStatus as Status } from '../autosave';

/** The item's save state, announced politely to screen readers. */
export function SaveStatus({ status, onRetry }: { status: Status; onRetry: () => void }) {
  let text = '';
  switch (status.kind) {
    case 'pending':
      text = 'Changes not saved yet…';
      break;
    case 'saving':
      text = 'Saving…';
      break;
    case 'saved':
      text = `Saved ${formatTime(status.at)}`;
      break;
    case 'failed':
    case 'invalid':
      text = status.message;
      break;
    case 'conflict':
      text = 'Not saved: a colleague saved this item first.';
      break;
    case 'idle':
      text = '';
  }
  return (
    <div className={`nqms-status nqms-status--${status.kind}`} data-testid="save-status">
      <span role="status" aria-live="polite">
        {text}
      </span>
      {status.kind === 'failed' ? (
        <>
          {' '}
          <button type="button" className="usa-button usa-button--unstyled" onClick={onRetry}>
            Retry now
          </button>
        </>
      ) : null}
    </div>
  );
}
