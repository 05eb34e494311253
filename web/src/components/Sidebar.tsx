import { LogOut, Plus, Trash, X } from 'lucide-react';
import type { MouseEvent } from 'react';
import { dateGroup, formatNumber, type DateGroup } from '../lib/format';
import { navigate, sessionPath } from '../lib/hooks';
import type { SessionSummary } from '../lib/types';
import { Logo, Spinner } from './ui';

const GROUP_ORDER: DateGroup[] = ['Today', 'Yesterday', 'Previous 7 days', 'Previous 30 days', 'Older'];

/** Follows a link inside the app without reloading; modified clicks open a tab as usual. */
export function linkClick(to: string) {
  return (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
}

function sessionMeta(s: SessionSummary): string {
  const parts: string[] = [];
  if (s.filename && s.filename !== s.title) parts.push(s.filename);
  if (typeof s.row_count === 'number') parts.push(`${formatNumber(s.row_count)} rows`);
  if (typeof s.column_count === 'number' && parts.length < 2) parts.push(`${formatNumber(s.column_count)} columns`);
  return parts.join(' · ');
}

export function Sidebar(props: {
  sessions: SessionSummary[] | null;
  error: string | null;
  activeId: string | null;
  email: string | null;
  version?: string;
  onDelete: (s: SessionSummary) => void;
  onSignOut: () => void;
  onClose: () => void;
  onRetry: () => void;
}) {
  const { sessions } = props;
  const groups = new Map<DateGroup, SessionSummary[]>();
  for (const s of sessions ?? []) {
    const g = dateGroup(s.created_at);
    groups.set(g, [...(groups.get(g) ?? []), s]);
  }

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
        {sessions?.length === 0 && <div className="sidebar-empty">No analyses yet. Upload a file to start.</div>}
        {GROUP_ORDER.filter((g) => groups.has(g)).map((g) => (
          <section key={g} className="session-group">
            <h2>{g}</h2>
            <ul>
              {groups.get(g)!.map((s) => (
                <li key={s.id} className={s.id === props.activeId ? 'active' : undefined}>
                  <a
                    href={sessionPath(s.id)}
                    onClick={linkClick(sessionPath(s.id))}
                    aria-current={s.id === props.activeId ? 'page' : undefined}
                    title={s.title}
                  >
                    <span className="session-title">{s.title || s.filename || 'Untitled'}</span>
                    <span className="session-meta">{sessionMeta(s)}</span>
                  </a>
                  <button
                    type="button"
                    className="icon-btn session-delete"
                    aria-label={`Delete ${s.title || s.filename}`}
                    title="Delete"
                    onClick={() => props.onDelete(s)}
                  >
                    <Trash size={15} />
                  </button>
                </li>
              ))}
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
        <button type="button" className="icon-btn" onClick={props.onSignOut} aria-label="Sign out" title="Sign out">
          <LogOut size={16} />
        </button>
      </div>
      {props.version && /^v?\d/.test(props.version) && <div className="version">v{props.version.replace(/^v/, '')}</div>}
    </aside>
  );
}
