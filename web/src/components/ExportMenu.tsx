import { ChevronDown, Download, FileCode2, FileText, Sheet } from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api, ApiError } from '../lib/api';
import { dataExportPath, downloadExport, saveBlob, type DataExportFormat } from '../lib/exports';
import { Spinner } from './ui';

type Job = 'csv' | 'parquet' | 'html' | 'zip';

/**
 * A session's exports: its dataset (the typed copy, from the server) and
 * its report (one HTML file, or Markdown with the charts as SVG in a zip,
 * built here from the conversation).
 */
export function ExportMenu({ sessionId, filename }: { sessionId: string; filename?: string }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [busy, setBusy] = useState<Job | null>(null);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);

  // A click elsewhere or Escape closes the menu.
  useEffect(() => {
    const close = (e: Event) => {
      const d = ref.current;
      if (!d?.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !d.contains(e.target as Node)) d.open = false;
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);

  async function run(job: Job, work: () => Promise<string>) {
    setBusy(job);
    setStatus(null);
    try {
      const name = await work();
      setStatus({ text: `Saved ${name}` });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return;
      setStatus({ text: (err as Error).message || 'The export failed.', error: true });
    } finally {
      setBusy(null);
    }
  }

  const base = (filename ?? 'data').replace(/\.[^.]+$/, '');
  const dataset = (format: DataExportFormat) =>
    run(format, () => downloadExport(dataExportPath(sessionId, format), `${base}.${format}`));
  const report = (kind: 'html' | 'zip') =>
    run(kind, async () => {
      // The report draws its charts with Vega: loaded when asked for, as the page's charts are.
      const [{ buildReport, reportFilename, reportHTML, reportZip }, detail] = await Promise.all([
        import('../lib/report'),
        api.session(sessionId),
      ]);
      const r = await buildReport(detail);
      const name = reportFilename(r.title, kind === 'html' ? 'html' : 'zip');
      const blob =
        kind === 'html'
          ? new Blob([reportHTML(r)], { type: 'text/html;charset=utf-8' })
          : new Blob([reportZip(r) as BlobPart], { type: 'application/zip' });
      saveBlob(blob, name);
      return name;
    });

  const item = (job: Job, icon: ReactNode, label: string, hint: string, onClick: () => void) => (
    <button type="button" role="menuitem" onClick={onClick} disabled={busy !== null} aria-busy={busy === job}>
      {busy === job ? <Spinner size={14} /> : icon}
      {label}
      <span className="muted">{hint}</span>
    </button>
  );

  return (
    <details className="export-menu" ref={ref}>
      <summary className="btn btn-ghost btn-sm" aria-haspopup="menu" aria-label="Export" title="Export the report or the dataset">
        <Download size={15} aria-hidden="true" />
        <span className="export-label">Export</span>
        <ChevronDown size={14} aria-hidden="true" />
      </summary>
      <div className="export-menu-items" role="menu" aria-label="Export">
        <h3>Report</h3>
        {item('html', <FileText size={15} aria-hidden="true" />, 'Report as HTML', 'one file', () => void report('html'))}
        {item('zip', <FileCode2 size={15} aria-hidden="true" />, 'Report as Markdown', 'zip, SVG charts', () => void report('zip'))}
        <h3>Dataset</h3>
        {item('csv', <Sheet size={15} aria-hidden="true" />, 'Dataset as CSV', 'all rows', () => void dataset('csv'))}
        {item('parquet', <Sheet size={15} aria-hidden="true" />, 'Dataset as Parquet', 'typed', () => void dataset('parquet'))}
        {status && (
          <p className={`export-status${status.error ? ' error' : ''}`} role={status.error ? 'alert' : 'status'}>
            {status.text}
          </p>
        )}
      </div>
    </details>
  );
}
