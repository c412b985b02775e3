import { useEffect, type ReactNode } from 'react';
import { Alert } from '@/components/ui/uswds';
import { ApiError } from '@/lib/api-client';

/** A page's title (document title too) and body. */
export function Page({
  title,
  caption,
  children,
  compact = false,
}: {
  title: string;
  caption?: ReactNode;
  children: ReactNode;
  compact?: boolean;
}) {
  useEffect(() => {
    document.title = `${title} · NQMS Cloud`;
  }, [title]);
  return (
    <>
      {caption ? <span className="nqms-caption">{caption}</span> : null}
      <h1 className={compact ? 'margin-top-05 nqms-item-title' : 'margin-top-05'}>{title}</h1>
      {children}
    </>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="nqms-loading">
      Loading {what}…
    </p>
  );
}

export function Failure({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  const notFound = error instanceof ApiError && error.status === 404;
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <Alert type="error" headingLevel="h2" heading={notFound ? 'Not found' : forbidden ? 'Not yours to read' : 'Cannot show this page'}>
      {notFound ? 'It does not exist, or it is not yours to see.' : message}
    </Alert>
  );
}

/** "3 of 8" as a USWDS tag: done, in progress or not started. */
export function ProgressTag({ answered, total }: { answered: number; total: number }) {
  const label = answered === 0 ? 'Not started' : answered >= total ? 'Completed' : 'In progress';
  const tone = answered >= total ? 'nqms-tag--done' : answered === 0 ? 'nqms-tag--todo' : 'nqms-tag--doing';
  return (
    <span className={`usa-tag nqms-tag ${tone}`}>
      {label}
      <span className="usa-sr-only">, </span> {answered}/{total}
    </span>
  );
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function formatDate(iso: string): string {
  return new Date(`${iso.slice(0, 10)}T12:00:00`).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
}

export const STATE_LABELS: Record<string, string> = {
  open: 'Open: answering',
  returned: 'Returned for changes',
  submitted: 'Submitted: waiting for review',
  in_review: 'In review by the affiliate',
  review_completed: 'Review completed',
  plan_finalized: 'Plan finalized',
  historical: 'Historical',
  archived: 'Archived',
};

/** Why an action was refused, beside the button (404: not found; 403: not yours to do). */
export function ActionError({ error }: { error: unknown }) {
  const status = error instanceof ApiError ? error.status : 0;
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  const heading = status === 404 ? 'Not found' : status === 403 ? 'You may not do this' : 'Not done';
  return (
    <div className="usa-alert usa-alert--error usa-alert--slim" role="alert">
      <div className="usa-alert__body">
        <p className="usa-alert__text">
          <strong>{heading}:</strong> {status === 404 ? 'it does not exist, or it is not yours to see.' : message}
        </p>
      </div>
    </div>
  );
}
