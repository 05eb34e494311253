import { ChevronDown, Download } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../lib/api';
import { downloadExport, resultExportPath, type ResultExportFormat } from '../lib/exports';
import type { ResultSource } from './QueryResultView';
import { Spinner } from './ui';

const FORMATS: { format: ResultExportFormat; label: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'parquet', label: 'Parquet' },
  { format: 'json', label: 'JSON' },
];

/**
 * The whole of a stored result, from the server: its SQL is run again and
 * every row comes back as a file, however many the table shows.
 */
export function ResultExport({
  source,
  resolveSource,
  caption,
}: {
  source?: ResultSource;
  /** A result shown live is found among the stored ones when asked for. */
  resolveSource?: () => Promise<ResultSource | null>;
  caption?: string;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [busy, setBusy] = useState<ResultExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);

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

  async function run(format: ResultExportFormat) {
    setBusy(format);
    setError(null);
    try {
      const where = source ?? (await resolveSource?.()) ?? null;
      if (!where) throw new Error('This result is not stored yet: try again in a moment.');
      await downloadExport(resultExportPath(where.sessionId, where.messageId, format, caption), `result.${format}`);
      if (ref.current) ref.current.open = false;
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  }

  return (
    <details className="export-menu result-export" ref={ref}>
      <summary className="btn btn-ghost btn-xs" aria-haspopup="menu" aria-busy={busy !== null}>
        {busy ? <Spinner size={13} /> : <Download size={13} aria-hidden="true" />}
        Export all rows
        <ChevronDown size={12} aria-hidden="true" />
      </summary>
      <div className="export-menu-items" role="menu" aria-label="Export all rows">
        <h3>Run the query again and save every row</h3>
        {FORMATS.map(({ format, label }) => (
          <button key={format} type="button" role="menuitem" onClick={() => void run(format)} disabled={busy !== null}>
            {busy === format ? <Spinner size={14} /> : <Download size={14} aria-hidden="true" />}
            {label}
          </button>
        ))}
        {error && (
          <p className="export-status error" role="alert">
            {error}
          </p>
        )}
      </div>
    </details>
  );
}
