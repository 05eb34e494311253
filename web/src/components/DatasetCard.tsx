import { ChevronDown, FileSpreadsheet, TriangleExclamationPoint } from 'lucide-react';
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { formatBytes, formatNumber, plural } from '../lib/format';
import type { FileInfo } from '../lib/types';
import { DataTable } from './DataTable';
import { ProfilePanel } from './ProfilePanel';

type Tab = 'preview' | 'profile';

export function DatasetCard({
  file,
  sessionId,
  dataKey,
  onAsk,
}: {
  file: FileInfo;
  sessionId: string;
  /** The primary table's current version: its profile is that version's. */
  dataKey?: string;
  onAsk?: (question: string) => void;
}) {
  const [tab, setTab] = useState<Tab>('preview');
  const [open, setOpen] = useState(true);
  const id = useId();
  const columns = useMemo(
    () => (file.columns ?? []).map((name, i) => ({ name, type: file.column_types?.[i] })),
    [file.columns, file.column_types],
  );
  const preview = Array.isArray(file.preview) ? file.preview : [];
  const notes = Array.isArray(file.notes) ? file.notes.filter((n) => typeof n === 'string' && n !== '') : [];

  function onTabKey(e: KeyboardEvent) {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const next = tab === 'preview' ? 'profile' : 'preview';
      setTab(next);
      document.getElementById(`${id}-tab-${next}`)?.focus();
    }
  }

  return (
    <section className="dataset-card" aria-label="Dataset">
      <header className="dataset-head">
        <span className="dataset-icon" aria-hidden="true">
          <FileSpreadsheet size={18} />
        </span>
        <div className="dataset-title">
          <strong title={file.filename}>{file.filename}</strong>
          <span className="muted">
            {formatNumber(file.row_count)} rows × {formatNumber(file.column_count)} columns
            {file.size_bytes ? ` · ${formatBytes(file.size_bytes)}` : ''}
            {file.format ? ` · ${file.format.toUpperCase()}` : ''}
          </span>
        </div>
        <div className="tabs" role="tablist" aria-label="Dataset views">
          {(['preview', 'profile'] as const).map((t) => (
            <button
              key={t}
              id={`${id}-tab-${t}`}
              type="button"
              role="tab"
              aria-selected={tab === t}
              aria-controls={`${id}-panel`}
              tabIndex={tab === t ? 0 : -1}
              className="tab"
              onKeyDown={onTabKey}
              onClick={() => {
                setTab(t);
                setOpen(true);
              }}
            >
              {t === 'preview' ? 'Preview' : 'Profile'}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="icon-btn"
          aria-expanded={open}
          aria-controls={`${id}-panel`}
          aria-label={open ? 'Collapse dataset' : 'Expand dataset'}
          onClick={() => setOpen((v) => !v)}
        >
          <ChevronDown size={18} className={open ? undefined : 'rot-90'} />
        </button>
      </header>
      {!!file.rejected_rows && file.rejected_rows > 0 && (
        <p className="dataset-warning">
          <TriangleExclamationPoint size={14} aria-hidden="true" />
          {plural(file.rejected_rows, 'row')} could not be read and {file.rejected_rows === 1 ? 'was' : 'were'} skipped.
        </p>
      )}
      {notes.length > 0 && (
        <ul className="dataset-notes muted" aria-label="How the file was read">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {open && (
        <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${tab}`} className="dataset-body">
          {tab === 'preview' ? (
            <>
              <DataTable columns={columns} rows={preview} maxHeight={300} label="Data preview" />
              <p className="dataset-foot muted">
                {preview.length < file.row_count
                  ? `First ${formatNumber(preview.length)} of ${formatNumber(file.row_count)} rows`
                  : plural(preview.length, 'row')}
              </p>
            </>
          ) : (
            <ProfilePanel sessionId={sessionId} dataKey={dataKey} rowCount={file.row_count} onAsk={onAsk} />
          )}
        </div>
      )}
    </section>
  );
}
