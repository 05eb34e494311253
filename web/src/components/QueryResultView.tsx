import { Check, ChevronDown, Copy, Download } from 'lucide-react';
import { useMemo, useState } from 'react';
import { copyText, downloadText, resultColumns, slugify, toCSV } from '../lib/csv';
import { formatDuration, formatNumber, plural } from '../lib/format';
import type { QueryResult } from '../lib/types';
import { DataTable } from './DataTable';

export function QueryResultView({ data, index, sqlCollapsed = false }: { data: QueryResult; index: number; sqlCollapsed?: boolean }) {
  const rows = useMemo(() => (Array.isArray(data.result) ? data.result : []), [data.result]);
  const columns = useMemo(() => resultColumns(data.columns, rows), [data.columns, rows]);
  const [showSql, setShowSql] = useState(!sqlCollapsed);
  const stopped = data.is_error && /\b(stopped|cancell?ed|interrupted)\b/i.test(data.error ?? '');
  const [copied, setCopied] = useState(false);
  const count = typeof data.row_count === 'number' ? data.row_count : rows.length;

  async function copy() {
    if (!data.sql) return;
    try {
      await copyText(data.sql);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      /* clipboard refused: nothing to do */
    }
  }

  return (
    <div className={`result-card${data.is_error && !stopped ? ' is-error' : ''}`}>
      {data.sql && (
        <div className="sql-block">
          <div className="sql-bar">
            <button type="button" className="sql-toggle" aria-expanded={showSql} onClick={() => setShowSql((v) => !v)}>
              <ChevronDown size={14} className={showSql ? undefined : 'rot-90'} aria-hidden="true" />
              SQL
            </button>
            <span className="sql-actions">
              <button type="button" className="btn btn-ghost btn-xs" onClick={copy} aria-label="Copy SQL">
                {copied ? <Check size={13} /> : <Copy size={13} />}
                {copied ? 'Copied' : 'Copy'}
              </button>
            </span>
          </div>
          {showSql && (
            <pre className="sql-code">
              <code>{data.sql}</code>
            </pre>
          )}
        </div>
      )}
      {data.is_error ? (
        stopped ? (
          <div className="result-stopped">The query was stopped before it finished.</div>
        ) : (
          <div className="result-error" role="alert">
            <strong>Query failed</strong>
            <span>{data.error || 'The query could not be run.'}</span>
          </div>
        )
      ) : (
        <>
          {columns.length > 0 ? (
            <DataTable columns={columns.map((name) => ({ name }))} rows={rows} maxHeight={340} label={`Query result ${index}`} showTypes={false} />
          ) : (
            <p className="panel-message">The query returned no columns.</p>
          )}
          <div className="result-foot">
            <span className="muted">
              {plural(count, 'row')}
              {data.truncated && ` · showing the first ${formatNumber(rows.length)}`}
              {data.elapsed_ms !== undefined && ` · ${formatDuration(data.elapsed_ms)}`}
            </span>
            {rows.length > 0 && (
              <button
                type="button"
                className="btn btn-ghost btn-xs"
                onClick={() => downloadText(`${slugify(data.sql ?? '', 'query')}.csv`, toCSV(columns, rows))}
              >
                <Download size={13} />
                Download CSV
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}
