const LABEL: Record<string, string> = { needs_review: 'Needs review', reviewed: 'Reviewed', flagged: 'Flagged' };
const TONE: Record<string, string> = { needs_review: 'nqms-tag--todo', reviewed: 'nqms-tag--done', flagged: 'nqms-tag--flagged' };

export function ReviewStatusTag({ status }: { status: string }) {
  return <span className={`usa-tag nqms-tag ${TONE[status] ?? 'nqms-tag--todo'}`}>{LABEL[status] ?? status}</span>;
}
