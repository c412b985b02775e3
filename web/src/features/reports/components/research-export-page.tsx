import '../reports.css';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '@/components/ui/uswds';
import { ActionError, Failure, Loading, Page, formatTime } from '@/components/ui/page';
import { readableFieldErrors } from '@/features/admin/logic';
import { useInstruments } from '../api/aggregates';
import {
  JOB_MINUTES,
  useDownloadResearchExport,
  useRequestResearchExport,
  useResearchExport,
  type ResearchExport,
} from '../api/research-export';

const FILES = {
  download_url: { name: 'Research export (CSV)', label: 'Download the export (CSV)', what: 'A row per self-assessment' },
  codebook_url: { name: 'Codebook (CSV)', label: 'Download the codebook (CSV)', what: 'Every column, what it holds, its values' },
} as const;

function DownloadButton({ exportId, file }: { exportId: string; file: keyof typeof FILES }) {
  const download = useDownloadResearchExport(exportId, file);
  return (
    <li>
      <span>
        <strong>{FILES[file].name}</strong>
        <br />
        <span className="text-base">{FILES[file].what}</span>
      </span>
      <span className="nqms-document">
        <Button
          type="button"
          className="usa-button--outline"
          aria-busy={download.isPending}
          disabled={download.isPending}
          onClick={() => { download.mutate(); }}
        >
          {download.isPending ? 'Preparing…' : FILES[file].label}
        </Button>
        {download.isError ? <ActionError error={download.error} /> : null}
      </span>
    </li>
  );
}

/** Where the export is: being made (the page asks again every few seconds), or ready with its two files. */
function ExportState({ exportId }: { exportId: string }) {
  const current = useResearchExport(exportId);
  if (current.isPending) return <Loading what="the export" />;
  if (current.isError) return <Failure error={current.error} />;
  const rex: ResearchExport = current.data;
  const late = current.dataUpdatedAt - Date.parse(rex.requested_at) > JOB_MINUTES * 60_000;
  return (
    <section aria-labelledby="export-heading" data-testid="research-export">
      <h2 id="export-heading">Instrument version {rex.instrument_version}, requested at {formatTime(rex.requested_at)}</h2>
      <div className={`usa-alert usa-alert--slim ${rex.state === 'ready' ? 'usa-alert--success' : late ? 'usa-alert--warning' : 'usa-alert--info'}`} role="status">
        <div className="usa-alert__body">
          <p className="usa-alert__text">
            {rex.state === 'ready' ? (
              <>
                <strong>Ready:</strong> {rex.rows ?? 0} self-assessment{rex.rows === 1 ? '' : 's'} exported
                {rex.ready_at ? ` at ${formatTime(rex.ready_at)}` : ''}.
              </>
            ) : late ? (
              <>
                <strong>Not made:</strong> the export was requested more than {JOB_MINUTES} minutes ago and is still not
                ready. Request it again; if it is not made again, tell the NQMS Cloud operators.
              </>
            ) : (
              <>
                <strong>Being made:</strong> this page checks every few seconds. You are also emailed a link once it is
                ready, so you may leave.
              </>
            )}
          </p>
        </div>
      </div>
      {rex.state === 'ready' ? (
        <ul className="nqms-task-list nqms-documents" aria-label="Files">
          <DownloadButton exportId={exportId} file="download_url" />
          <DownloadButton exportId={exportId} file="codebook_url" />
        </ul>
      ) : null}
    </section>
  );
}

/**
 * The de-identified research export for national staff with the results grant: choose the
 * instrument version, request it (a job makes the files), watch it be made, download the CSV and
 * its codebook. The export being watched is in the address, so the page can be reloaded.
 */
export function ResearchExportPage() {
  const [params, setParams] = useSearchParams();
  const instruments = useInstruments();
  const request = useRequestResearchExport();
  const versions = [...new Set((instruments.data ?? []).map((i) => i.version))].sort((a, b) => b - a);
  const [chosen, setChosen] = useState('');
  const version = chosen || String(versions[0] ?? '');
  const exportId = params.get('export');
  const errors = readableFieldErrors(request.error);
  const fieldError = errors.instrument_version;
  return (
    <Page title="Research export" caption="MENTOR national">
      <p>
        A spreadsheet (CSV) for evaluators with a row per submitted self-assessment of one instrument version: programs
        and cycles as pseudonyms (the same program has the same one in every export), each item&apos;s answer and rating,
        and the goals. No notes and no names. A codebook describes every column.
      </p>
      {instruments.isPending ? (
        <Loading what="the instrument versions" />
      ) : instruments.isError ? (
        <Failure error={instruments.error} />
      ) : (
        <form
          className="usa-form"
          aria-label="Request a research export"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            request.mutate(Number(version), {
              onSuccess: (made) => {
                const next = new URLSearchParams(params);
                next.set('export', made.export_id);
                setParams(next);
              },
            });
          }}
        >
          <div className={`usa-form-group${fieldError ? ' usa-form-group--error' : ''}`}>
            <label className={`usa-label${fieldError ? ' usa-label--error' : ''}`} htmlFor="export-version">
              Instrument version
            </label>
            {fieldError ? (
              <span className="usa-error-message" id="export-version-error" role="alert">
                {fieldError}
              </span>
            ) : null}
            <select
              className={`usa-select${fieldError ? ' usa-input--error' : ''}`}
              id="export-version"
              value={version}
              aria-describedby={fieldError ? 'export-version-error' : undefined}
              aria-invalid={fieldError ? true : undefined}
              onChange={(e) => { setChosen(e.target.value); }}
            >
              {versions.map((v) => (
                <option key={v} value={v}>
                  Version {v}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" className="margin-top-3" disabled={request.isPending || versions.length === 0}>
            {request.isPending ? 'Requesting…' : 'Request the export'}
          </Button>
          {request.isError && !fieldError ? <ActionError error={request.error} /> : null}
        </form>
      )}
      {exportId ? <ExportState key={exportId} exportId={exportId} /> : null}
      <p className="margin-top-4">
        <Link to="/">Back to the national home</Link>
      </p>
    </Page>
  );
}
