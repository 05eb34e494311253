import { Check, LogOut, Pencil, Plus, Search, Settings, Trash, X } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent, type MouseEvent } from 'react';
import { dateGroup, formatBytes, formatNumber, type DateGroup } from '../lib/format';
import { navigate, sessionPath } from '../lib/hooks';
import { openSettings } from '../lib/settingsBus';
import type { SessionSummary } from '../lib/types';
import { Logo, Spinner } from './ui';

const GROUP_ORDER: DateGroup[] = ['Today', 'Yesterday', 'Previous 7 days', 'Previous 30 days', 'Older'];

/** How long typing pauses before the list is searched. */
export const SEARCH_DELAY_MS = 200;

/** Follows a link inside the app without reloading; modified clicks open a tab as usual. */
export function linkClick(to: string) {
  return (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
}

/** When a file was uploaded, short: the time today, else the day (and the year when not this one). */
export function uploadedLabel(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const opts: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric' };
  if (d.getFullYear() !== now.getFullYear()) opts.year = 'numeric';
  return d.toLocaleDateString(undefined, opts);
}

/** The line under a session's title: its file's name, size and upload time, so that three uploads of one file differ. */
export function sessionMeta(s: SessionSummary, now = new Date()): string {
  const parts: string[] = [];
  if (s.filename && s.filename !== s.title) parts.push(s.filename);
  if (typeof s.size_bytes === 'number' && s.size_bytes > 0) parts.push(formatBytes(s.size_bytes));
  else if (typeof s.row_count === 'number') parts.push(`${formatNumber(s.row_count)} rows`);
  const when = uploadedLabel(s.created_at, now);
  if (when) parts.push(when);
  return parts.join(' · ');
}

function sessionTooltip(s: SessionSummary): string {
  const lines = [s.title];
  if (s.filename) lines.push(s.filename);
  const facts: string[] = [];
  if (typeof s.row_count === 'number') facts.push(`${formatNumber(s.row_count)} rows`);
  if (typeof s.column_count === 'number') facts.push(`${formatNumber(s.column_count)} columns`);
  if (typeof s.size_bytes === 'number' && s.size_bytes > 0) facts.push(formatBytes(s.size_bytes));
  if (facts.length) lines.push(facts.join(' × ').replace(/ × (\S+ \S+B)$/, ' · $1'));
  const d = new Date(s.created_at);
  if (!Number.isNaN(d.getTime())) lines.push(`Uploaded ${d.toLocaleString()}`);
  return lines.join('\n');
}

export function Sidebar(props: {
  sessions: SessionSummary[] | null;
  error: string | null;
  activeId: string | null;
  email: string | null;
  version?: string;
  /** The search in force (what the list shows); '' for none. */
  search?: string;
  onSearch?: (q: string) => void;
  onRename?: (s: SessionSummary, title: string) => Promise<void>;
  onDelete: (s: SessionSummary) => void;
  onSignOut: () => void;
  onClose: () => void;
  onRetry: () => void;
}) {
  const { sessions, onSearch } = props;
  const [query, setQuery] = useState(props.search ?? '');
  const [editing, setEditing] = useState<string | null>(null);
  const groups = new Map<DateGroup, SessionSummary[]>();
  for (const s of sessions ?? []) {
    const g = dateGroup(s.created_at);
    groups.set(g, [...(groups.get(g) ?? []), s]);
  }

  useEffect(() => {
    if (!onSearch) return;
    const t = setTimeout(() => onSearch(query.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [query, onSearch]);

  const searching = !!(props.search ?? '').trim();

  return (
    <aside className="sidebar" aria-label="Analyses">
      <div className="sidebar-head">
        <a href="/" className="brand" onClick={linkClick('/')}>
          <Logo size={26} />
          <span>Analyzer</span>
        </a>
        <button type="button" className="icon-btn drawer-close" onClick={props.onClose} aria-label="Close menu">
          <X size={18} />
        </button>
      </div>
      <a href="/" className="btn btn-outline new-btn" onClick={linkClick('/')}>
        <Plus size={16} />
        New analysis
      </a>
      {onSearch && (
        <div className="session-search" role="search">
          <Search size={14} aria-hidden="true" />
          <input
            type="search"
            value={query}
            placeholder="Search titles and files"
            aria-label="Search analyses by title or file name"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && query) {
                e.stopPropagation();
                setQuery('');
              }
            }}
          />
          {query && (
            <button type="button" className="icon-btn" aria-label="Clear the search" onClick={() => setQuery('')}>
              <X size={14} />
            </button>
          )}
        </div>
      )}

      <nav className="session-list" aria-label="Your analyses">
        {sessions === null && !props.error && (
          <div className="sidebar-empty">
            <Spinner size={14} /> Loading…
          </div>
        )}
        {props.error && (
          <div className="sidebar-empty" role="alert">
            {props.error}{' '}
            <button type="button" className="link" onClick={props.onRetry}>
              Retry
            </button>
          </div>
        )}
        {sessions?.length === 0 &&
          (searching ? (
            <div className="sidebar-empty">No analysis matches “{props.search}”.</div>
          ) : (
            <div className="sidebar-empty">No analyses yet. Upload a file to start.</div>
          ))}
        {GROUP_ORDER.filter((g) => groups.has(g)).map((g) => (
          <section key={g} className="session-group">
            <h2>{g}</h2>
            <ul>
              {groups.get(g)!.map((s) =>
                editing === s.id && props.onRename ? (
                  <li key={s.id} className="editing">
                    <RenameForm
                      session={s}
                      onSave={async (title) => {
                        await props.onRename!(s, title);
                        setEditing(null);
                      }}
                      onCancel={() => setEditing(null)}
                    />
                  </li>
                ) : (
                  <li key={s.id} className={s.id === props.activeId ? 'active' : undefined}>
                    <a
                      href={sessionPath(s.id)}
                      onClick={linkClick(sessionPath(s.id))}
                      aria-current={s.id === props.activeId ? 'page' : undefined}
                      title={sessionTooltip(s)}
                    >
                      <span className="session-title">{s.title || s.filename || 'Untitled'}</span>
                      <span className="session-meta">{sessionMeta(s)}</span>
                    </a>
                    <span className="session-actions">
                      {props.onRename && (
                        <button
                          type="button"
                          className="icon-btn"
                          aria-label={`Rename ${s.title || s.filename}`}
                          title="Rename"
                          onClick={() => setEditing(s.id)}
                        >
                          <Pencil size={14} />
                        </button>
                      )}
                      <button
                        type="button"
                        className="icon-btn session-delete"
                        aria-label={`Delete ${s.title || s.filename}`}
                        title="Delete"
                        onClick={() => props.onDelete(s)}
                      >
                        <Trash size={15} />
                      </button>
                    </span>
                  </li>
                ),
              )}
            </ul>
          </section>
        ))}
      </nav>

      <div className="sidebar-foot">
        <div className="account">
          <span className="avatar" aria-hidden="true">
            {(props.email ?? 'L')[0].toUpperCase()}
          </span>
          <span className="account-email" title={props.email ?? undefined}>
            {props.email ?? 'Local account'}
          </span>
        </div>
        <button type="button" className="icon-btn" onClick={openSettings} aria-label="Settings" title="Model settings">
          <Settings size={16} />
        </button>
        <button type="button" className="icon-btn" onClick={props.onSignOut} aria-label="Sign out" title="Sign out">
          <LogOut size={16} />
        </button>
      </div>
      {props.version && /^v?\d/.test(props.version) && <div className="version">v{props.version.replace(/^v/, '')}</div>}
    </aside>
  );
}

/** The title in place, editable: Enter saves, Escape (or leaving it unchanged) cancels. */
function RenameForm({
  session,
  onSave,
  onCancel,
}: {
  session: SessionSummary;
  onSave: (title: string) => Promise<void>;
  onCancel: () => void;
}) {
  const original = session.title || session.filename || '';
  const [value, setValue] = useState(original);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    const title = value.trim().replace(/\s+/g, ' ');
    if (!title || title === original) {
      onCancel();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSave(title);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <form className="rename-form" onSubmit={submit}>
      <input
        ref={input}
        value={value}
        maxLength={200}
        aria-label="New title"
        aria-invalid={!!error}
        disabled={busy}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onCancel();
          }
        }}
      />
      <button type="submit" className="icon-btn" aria-label="Save the title" disabled={busy}>
        {busy ? <Spinner size={14} /> : <Check size={14} />}
      </button>
      <button type="button" className="icon-btn" aria-label="Cancel renaming" onClick={onCancel} disabled={busy}>
        <X size={14} />
      </button>
      {error && (
        <p className="rename-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
