/** What the affiliate wrote when it returned the assessment, shown to the program while it is returned. */
export function ReturnedNotice({ cycle }: { cycle: { state: string; return_comment?: string | null } }) {
  if (cycle.state !== 'returned' || !cycle.return_comment) return null;
  return (
    <div className="usa-alert usa-alert--warning usa-alert--slim">
      <div className="usa-alert__body">
        <p className="usa-alert__text">Returned by your affiliate: {cycle.return_comment}</p>
      </div>
    </div>
  );
}
