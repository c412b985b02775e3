import '../reports.css';
import { ActionError } from '@/components/ui/page';
import { fileSize, fileType, useDownloadDocument, type DocumentKind } from '../api/documents';

const DOCUMENTS: Record<DocumentKind, { name: string; type: string; what: string }> = {
  'assessment.pdf': {
    name: 'Self-assessment',
    type: 'PDF',
    what: 'Every answer by section, with the section figures and the progress across cycles',
  },
  'assessment-goals.pdf': {
    name: 'Self-assessment with the goals',
    type: 'PDF',
    what: 'The same, followed by the plan’s goals',
  },
  'assessment.csv': {
    name: 'Self-assessment',
    type: 'CSV',
    what: 'A row per item (and per goal), for a spreadsheet',
  },
  'plan.pdf': {
    name: 'Improvement and Innovation Plan',
    type: 'PDF',
    what: 'Strengths, areas for improvement and the goals',
  },
  'goals.csv': { name: 'Goals', type: 'CSV', what: 'A row per goal, for a spreadsheet' },
};

function DocumentRow({ cycleId, kind }: { cycleId: string; kind: DocumentKind }) {
  const download = useDownloadDocument(cycleId, kind);
  const doc = DOCUMENTS[kind];
  const label = `${doc.name} (${doc.type})`;
  const got = download.data;
  return (
    <li data-testid={`document-${kind}`}>
      <span>
        <strong>{label}</strong>
        <br />
        <span className="text-base">{doc.what}</span>
      </span>
      <span className="nqms-document">
        <button
          type="button"
          className="usa-button usa-button--outline"
          aria-busy={download.isPending}
          disabled={download.isPending}
          onClick={() => {
            download.mutate();
          }}
        >
          {download.isPending ? 'Preparing…' : got ? 'Download again' : 'Download'}
          <span className="usa-sr-only"> {label}</span>
        </button>
        <span role="status" className="nqms-document__status">
          {got ? `Downloaded: ${fileType(got.content_type)}, ${fileSize(got.size_bytes)}` : ''}
        </span>
        {download.isError ? <ActionError error={download.error} /> : null}
      </span>
    </li>
  );
}

/**
 * The cycle's documents, made on request from the data as it is now (each download is
 * recorded in the program's audit log).
 */
export function DocumentsPanel({ cycleId, kinds }: { cycleId: string; kinds: DocumentKind[] }) {
  return (
    <section aria-labelledby="documents-heading" className="nqms-panel">
      <h2 id="documents-heading">Reports</h2>
      <p>Made when you ask, from the data as it is now.</p>
      <ul className="nqms-task-list nqms-documents">
        {kinds.map((kind) => (
          <DocumentRow key={kind} cycleId={cycleId} kind={kind} />
        ))}
      </ul>
    </section>
  );
}
