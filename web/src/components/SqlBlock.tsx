import { Check, ChevronDown, Copy, Play, Undo2 } from 'lucide-react';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { copyText } from '../lib/csv';

// CodeMirror loads with the first SQL block, not with the page.
const SqlEditor = lazy(() => import('./SqlEditor'));

/**
 * The query behind a result, highlighted and editable in place. "Run" sends
 * the text as a new question, which the server runs as SQL: the answer
 * appears as a new turn, and this block goes back to the query it shows.
 */
export function SqlBlock({
  sql,
  collapsed = false,
  columns,
  index,
  onRun,
  runDisabled,
}: {
  sql: string;
  collapsed?: boolean;
  columns?: string[];
  index: number;
  /** Sends the query as a new turn; false when it could not be sent. */
  onRun?: (sql: string) => boolean;
  /** Why Run is unavailable now (a turn is running, the connection is down). */
  runDisabled?: string;
}) {
  const [open, setOpen] = useState(!collapsed);
  const [draft, setDraft] = useState(sql);
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => setDraft(sql), [sql]);
  const edited = draft.trim() !== sql.trim();
  const canRun = !!onRun && !runDisabled && draft.trim() !== '';

  async function copy() {
    try {
      await copyText(draft);
      setCopied(true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), 1500);
    } catch {
      /* clipboard refused: nothing to do */
    }
  }

  function run() {
    if (!canRun) return;
    if (onRun(draft.trim())) setDraft(sql);
  }

  return (
    <div className={`sql-block${edited ? ' is-edited' : ''}`}>
      <div className="sql-bar">
        <button type="button" className="sql-toggle" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
          <ChevronDown size={14} className={open ? undefined : 'rot-90'} aria-hidden="true" />
          SQL
          {edited && <span className="sql-edited">edited</span>}
        </button>
        <span className="sql-actions">
          <button type="button" className="btn btn-ghost btn-xs" onClick={() => void copy()} aria-label="Copy SQL">
            {copied ? <Check size={13} aria-hidden="true" /> : <Copy size={13} aria-hidden="true" />}
            {copied ? 'Copied' : 'Copy'}
          </button>
          {edited && (
            <button type="button" className="btn btn-ghost btn-xs" onClick={() => setDraft(sql)} aria-label="Undo the edits">
              <Undo2 size={13} aria-hidden="true" />
              Reset
            </button>
          )}
          {onRun && (
            <button
              type="button"
              className={`btn btn-xs ${edited ? 'btn-primary' : 'btn-ghost'}`}
              onClick={run}
              disabled={!canRun}
              title={runDisabled ?? 'Run as a new question (Ctrl+Enter)'}
              aria-label={edited ? 'Run the edited SQL' : 'Run the SQL again'}
            >
              <Play size={12} aria-hidden="true" />
              Run
            </button>
          )}
        </span>
      </div>
      {open && (
        <Suspense
          fallback={
            <pre className="sql-code">
              <code>{draft}</code>
            </pre>
          }
        >
          <SqlEditor value={draft} onChange={setDraft} onRun={run} columns={columns} label={`SQL of result ${index}`} readOnly={!onRun} />
        </Suspense>
      )}
    </div>
  );
}
