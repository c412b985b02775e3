import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Button } from '@/components/ui/uswds';
import { ActionError } from '@/components/ui/page';
import { readinessWarning, useOpenCycle } from '../api/affiliate';

/** Open the program's next cycle; under a year of matching, say so and ask for the reason. */
export function OpenCycle({ programId }: { programId: string }) {
  const open = useOpenCycle(programId);
  const navigate = useNavigate();
  const [reason, setReason] = useState('');
  const warning = readinessWarning(open.error);
  const [warned, setWarned] = useState<string | null>(null);
  const shown = warning?.warning ?? warned;
  return (
    <section aria-labelledby="open-heading" className="nqms-panel">
      <h2 id="open-heading">Open a cycle</h2>
      <p>The program&apos;s staff can then answer the self-assessment.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (warning) setWarned(warning.warning);
          open.mutate(shown ? { readiness_override_reason: reason.trim() } : {}, {
            onSuccess: () => { void navigate(`/programs/${programId}`); },
          });
        }}
      >
        {shown ? (
          <>
            <Alert type="warning" headingLevel="h3" heading="This program may not be ready">
              {shown}
            </Alert>
            <label className="usa-label" htmlFor="override-reason">
              Why open the cycle anyway? (recorded with the cycle)
            </label>
            <textarea className="usa-textarea" id="override-reason" required value={reason} onChange={(e) => { setReason(e.target.value); }} />
          </>
        ) : null}
        <Button type="submit" className="margin-top-2" disabled={open.isPending || (Boolean(shown) && !reason.trim())}>
          {shown ? 'Open the cycle anyway' : 'Open a cycle'}
        </Button>
      </form>
      {open.isError && !warning ? <ActionError error={open.error} /> : null}
    </section>
  );
}
