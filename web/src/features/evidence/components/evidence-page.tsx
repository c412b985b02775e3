import { useRef, useState, type SyntheticEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Failure, Loading, Page } from '@/components/ui/page';
import { Alert } from '@/components/ui/uswds';
import { useProgramRole } from '@/features/me/api/use-program-role';
import { useApi } from '@/lib/api-context';
import {
  ACCEPTED,
  MAX_BYTES,
  contentTypeOf,
  downloadUrl,
  evidenceKey,
  uploadEvidence,
  useDeleteEvidence,
  useEvidence,
} from '../api/evidence';

const KINDS = [...new Set(ACCEPTED.map((a) => a.name))].join(', ');
const ACCEPT = ACCEPTED.flatMap((a) => a.ext.map((e) => `.${e}`)).join(',');

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** The program's evidence library: upload (with the limits said first), link, download, delete. */
export function EvidencePage({ programId }: { programId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const forItem = params.get('item') ?? '';
  const back = params.get('back');
  const evidence = useEvidence(programId);
  // Only the program's own staff upload and delete (the affiliate reads).
  const mine = useProgramRole(programId).role === 'program';
  const remove = useDeleteEvidence(programId);
  const fileInput = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState('');
  const [items, setItems] = useState(forItem);
  const [problem, setProblem] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const upload = async (event: SyntheticEvent) => {
    event.preventDefault();
    setProblem(null);
    setDone(null);
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setProblem('Choose a file to upload.');
      return;
    }
    if (!contentTypeOf(file)) {
      setProblem(`${file.name} is not a file type we accept: ${KINDS}.`);
      return;
    }
    if (file.size > MAX_BYTES) {
      setProblem(`${file.name} is ${sizeText(file.size)}: the limit is ${sizeText(MAX_BYTES)}.`);
      return;
    }
    if (file.size === 0) {
      setProblem(`${file.name} is empty.`);
      return;
    }
    const codes = items
      .split(/[\s,;]+/)
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean);
    setProgress(0);
    try {
      const document = await uploadEvidence(api, programId, { file, title: title.trim(), items: codes }, setProgress);
      setDone(`${document.filename} is uploaded${codes.length ? ` and linked to ${codes.join(', ')}` : ''}.`);
      setTitle('');
      if (fileInput.current) fileInput.current.value = '';
      await queryClient.invalidateQueries({ queryKey: evidenceKey(programId) });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : 'The upload failed.');
    } finally {
      setProgress(null);
    }
  };

  return (
    <Page title="Evidence" caption={back ? <Link to={back}>Back to the item</Link> : <Link to={`/programs/${programId}`}>Back to the program</Link>}>
      <p>Documents that show your practices (handbooks, policies, minutes, forms), linked to the items they support. Your affiliate sees them when reviewing.</p>
      {mine ? <h2>Upload a document</h2> : null}
      {mine ? (
        <form className="usa-form usa-form--large" onSubmit={(e) => void upload(e)}>
          <label className="usa-label" htmlFor="evidence-file">
            File
          </label>
          <span className="usa-hint" id="evidence-file-hint">
            {KINDS}; up to {sizeText(MAX_BYTES)}.
          </span>
          <input className="usa-file-input" id="evidence-file" type="file" accept={ACCEPT} aria-describedby="evidence-file-hint" ref={fileInput} />
          <label className="usa-label" htmlFor="evidence-title">
            Title (optional)
          </label>
          <input className="usa-input" id="evidence-title" value={title} maxLength={200} onChange={(e) => { setTitle(e.target.value); }} />
          <label className="usa-label" htmlFor="evidence-items">
            Items it supports (optional)
          </label>
          <span className="usa-hint" id="evidence-items-hint">
            Item codes separated by commas, e.g. A1, H40
          </span>
          <input className="usa-input" id="evidence-items" aria-describedby="evidence-items-hint" value={items} onChange={(e) => { setItems(e.target.value); }} />
          {progress !== null ? (
            <div className="margin-top-2">
              <label className="usa-label" htmlFor="evidence-progress">
                Uploading… {Math.round(progress * 100)}%
              </label>
              <progress id="evidence-progress" className="nqms-progress" max={1} value={progress} />
            </div>
        ) : null}
        {problem ? (
          <Alert type="error" headingLevel="h3" heading="Not uploaded" role="alert">
            {problem}
          </Alert>
        ) : null}
        <button type="submit" className="usa-button" disabled={progress !== null}>
          Upload
        </button>
        {done ? (
          <Alert type="success" headingLevel="h3" heading="Uploaded" role="status">
            {done}
          </Alert>
        ) : null}
      </form>
      ) : null}
      <h2>Documents</h2>
      {evidence.isPending ? <Loading what="the documents" /> : null}
      {evidence.isError ? <Failure error={evidence.error} /> : null}
      {evidence.data?.items.length === 0 ? <p>No documents yet.</p> : null}
      <ul className="nqms-task-list">
        {evidence.data?.items
          .filter((d) => d.state === 'available')
          .map((d) => (
            <li key={d.document_id}>
              <span>
                <strong>{d.title ?? d.filename}</strong> ({sizeText(d.size_bytes)})
                <br />
                <span className="text-base">
                  {d.items.length ? `Items: ${d.items.map((i) => i.code ?? i.key).join(', ')}` : 'Not linked to an item'}
                </span>
              </span>
              <span className="nqms-item-nav margin-top-0">
                <button
                  type="button"
                  className="usa-button usa-button--unstyled"
                  onClick={() => {
                    void downloadUrl(api, programId, d.document_id).then((url) => {
                      window.location.assign(url);
                    });
                  }}
                >
                  Download<span className="usa-sr-only"> {d.filename}</span>
                </button>
                {mine ? (
                  <button
                    type="button"
                    className="usa-button usa-button--unstyled text-secondary-dark"
                    onClick={() => {
                      if (window.confirm(`Delete ${d.filename}?`)) remove.mutate(d.document_id);
                    }}
                  >
                    Delete<span className="usa-sr-only"> {d.filename}</span>
                  </button>
                ) : null}
              </span>
            </li>
          ))}
      </ul>
    </Page>
  );
}
