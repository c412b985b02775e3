import { Link, Navigate } from 'react-router';
import { Failure, Loading, Page } from '@/components/ui/page';
import { usePrograms } from '../api/get-programs';

/** The programs the person works for; with one, straight to its home. */
export function ProgramList() {
  const programs = usePrograms();
  if (programs.isPending) return <Loading what="your programs" />;
  if (programs.isError) return <Failure error={programs.error} />;
  const items = programs.data.items;
  const only = items.length === 1 ? items[0] : undefined;
  if (only) return <Navigate to={`/programs/${only.program_id}`} replace />;
  return (
    <Page title="Your programs">
      {items.length === 0 ? (
        <p>You do not belong to a program yet. Ask your MENTOR affiliate to invite you.</p>
      ) : (
        <ul className="nqms-task-list">
          {items.map((p) => (
            <li key={p.program_id}>
              <Link to={`/programs/${p.program_id}`}>{p.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
