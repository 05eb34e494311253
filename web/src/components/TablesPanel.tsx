import { Download, FilePlus2, History, Redo2, Table2, Trash2, Undo2 } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, tokenStore } from '../lib/api';
import { formatNumber } from '../lib/format';
import { authorLabel, tablesApi, type TablesState } from '../lib/tables';
import type { SessionSummary } from '../lib/types';
import { Spinner } from './ui';

/**
 * The analysis's tables: add a file (upload, or one of the user's earlier
 * uploads), undo and redo changes, and the history of versions, each one
 * usable again or downloadable. onChanged reloads what shows the data.
 */
export function TablesPanel({
  sessionId,
  refreshKey,
  onChanged,
  onState,
}: {
  sessionId: string;
  /** Changes when the data may have changed elsewhere (a chat turn). */
  refreshKey: number;
  onChanged: () => void;
  onState?: (s: TablesState) => void;
}) {
  const [state, setState] = useState<TablesState | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [earlier, setEarlier] = useState<SessionSummary[] | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const show = useCallback(
    (s: TablesState) => {
      setState(s);
      onState?.(s);
    },
    [onState],
  );

  useEffect(() => {
    let live = true;
    tablesApi
      .state(sessionId)
      .then((s) => live && show(s))
      .catch(() => {
        // A server without tables, or the session being deleted: the
        // panel stays hidden until the next refresh.
        if (live) setState(null);
      });
    return () => {
      live = false;
    };
  }, [sessionId, refreshKey, show]);

  async function run(what: string, fn: () => Promise<{ tables: TablesState; notice?: string } | void>) {
    setBusy(what);
    setError(null);
    setNotice(null);
    try {
      const out = await fn();
      if (out?.tables) show(out.tables);
      else show(await tablesApi.state(sessionId));
      if (out && 'notice' in out && out.notice) setNotice(out.notice);
      onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'That did not work. Please try again.');
    } finally {
      setBusy(null);
    }
  }

  async function download(versionId: string, name: string) {
    try {
      const res = await fetch(tablesApi.downloadURL(sessionId, versionId), {
        headers: { Authorization: `Bearer ${tokenStore.get() ?? ''}` },
      });
      if (!res.ok) throw new Error();
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      setError('The version could not be downloaded.');
    }
  }

  if (!state) return null;
  const tables = state.tables;
  const versions = [...state.versions].reverse();

  return (
    <section className="tables-panel" aria-label="Tables">
      <header className="tables-head">
        <Table2 size={16} aria-hidden="true" />
        <strong>Tables</strong>
        <span className="tables-actions">
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            disabled={!!busy || !state.can_undo}
            onClick={() => run('undo', () => tablesApi.undo(sessionId))}
            title="Undo the last change to the data"
          >
            <Undo2 size={14} aria-hidden="true" /> Undo
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            disabled={!!busy || !state.can_redo}
            onClick={() => run('redo', () => tablesApi.redo(sessionId))}
            title="Redo the change undone last"
          >
            <Redo2 size={14} aria-hidden="true" /> Redo
          </button>
          <button type="button" className="btn btn-outline btn-sm" disabled={!!busy} onClick={() => fileRef.current?.click()}>
            <FilePlus2 size={14} aria-hidden="true" /> Add file
          </button>
          <select
            className="tables-earlier"
            aria-label="Add one of your earlier uploads"
            disabled={!!busy}
            value=""
            onFocus={() => {
              if (!earlier) api.sessions().then((all) => setEarlier(all.filter((s) => s.id !== sessionId && s.filename)));
            }}
            onChange={(e) => {
              const id = e.target.value;
              if (id) void run('add', () => tablesApi.addEarlier(sessionId, id));
            }}
          >
            <option value="">Add an earlier upload…</option>
            {(earlier ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.filename} ({formatNumber(s.row_count ?? 0)} rows)
              </option>
            ))}
          </select>
          <input
            ref={fileRef}
            type="file"
            accept=".csv,.parquet,.pq"
            hidden
            aria-label="Add a file to this analysis"
            data-testid="add-file-input"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void run('add', () => tablesApi.addFile(sessionId, f));
            }}
          />
        </span>
      </header>
      {busy && (
        <p className="muted tables-busy" role="status">
          <Spinner size={12} /> {busy === 'add' ? 'Adding the file…' : busy === 'undo' ? 'Undoing…' : busy === 'redo' ? 'Redoing…' : 'Working…'}
        </p>
      )}
      {error && (
        <p className="tables-error" role="alert">
          {error}
        </p>
      )}
      {notice && <p className="muted tables-notice">{notice}</p>}
      <ul className="tables-list">
        {tables.map((t) => (
          <li key={t.name} className="tables-item" data-table={t.name}>
            <code>{t.name}</code>
            {t.primary && <span className="tables-badge" title="The first table is also named data">data</span>}
            <span className="muted">
              {formatNumber(t.row_count)} rows × {formatNumber(t.column_count)} columns
              {t.current_version > 1 ? ` · version ${t.current_version}` : ''}
              {t.source_filename ? ` · ${t.source_filename}` : ''}
            </span>
            {!t.primary && (
              <button
                type="button"
                className="icon-btn"
                aria-label={`Remove table ${t.name}`}
                disabled={!!busy}
                onClick={() => run('remove', () => tablesApi.remove(sessionId, t.name))}
              >
                <Trash2 size={14} />
              </button>
            )}
          </li>
        ))}
      </ul>
      {versions.length > 1 && (
        <details className="tables-history">
          <summary>
            <History size={14} aria-hidden="true" /> History ({versions.length} versions, at most {state.max_versions})
          </summary>
          <ol className="versions-list">
            {versions.map((v) => (
              <li key={v.id} className={v.current ? 'version current' : 'version'} data-version={v.seq}>
                <span className="version-main">
                  <code>
                    {v.table} v{v.seq}
                  </code>{' '}
                  {v.description}
                  {v.current && <span className="tables-badge">current</span>}
                </span>
                <span className="muted">
                  {authorLabel(v)} · {formatNumber(v.row_count)} rows × {formatNumber(v.column_count)} columns ·{' '}
                  {new Date(v.created_at).toLocaleString()}
                </span>
                <span className="version-actions">
                  {!v.current && (
                    <button type="button" className="btn btn-ghost btn-sm" disabled={!!busy} onClick={() => run('restore', () => tablesApi.restore(sessionId, v.id))}>
                      Use this version
                    </button>
                  )}
                  <button type="button" className="icon-btn" aria-label={`Download ${v.table} version ${v.seq}`} onClick={() => download(v.id, `${v.table}-v${v.seq}.parquet`)}>
                    <Download size={14} />
                  </button>
                </span>
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}
