import { Check, ChevronDown, Settings, Sparkles } from 'lucide-react';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { choiceLabel, formatCost, formatTokens, modelsApi, totalTokens, type Choice, type SessionModel } from '../lib/models';
import { openSettings, useModelsChanged } from '../lib/settingsBus';
import '../styles/models.css';
import { Spinner } from './ui';

/**
 * The header's provider badge, as a menu: which model answers this
 * analysis's next question, the others to switch to, what the analysis has
 * used so far, and the way to Settings.
 */
export function ModelMenu({ sessionId, fallback, running }: { sessionId: string; fallback?: string; running?: boolean }) {
  const [menu, setMenu] = useState<SessionModel | null>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const listId = useId();

  const load = useCallback(async () => {
    try {
      setMenu(await modelsApi.sessionModel(sessionId));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [sessionId]);

  useEffect(() => {
    void load();
  }, [load]);
  useModelsChanged(
    useCallback(() => {
      void load();
    }, [load]),
  );
  // The session's totals change with each answer.
  useEffect(() => {
    if (!running) void load();
  }, [running, load]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        root.current?.querySelector<HTMLButtonElement>('.provider-badge')?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    root.current?.querySelector<HTMLElement>('[role="menuitemradio"][aria-checked="true"], [role="menuitemradio"]')?.focus();
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const current = menu?.choices.find((c) => c.id === menu.choice);
  const label = current ? choiceLabel(current) : fallback || 'Analyst';

  async function choose(c: Choice) {
    if (!menu || c.id === menu.choice) {
      setOpen(false);
      return;
    }
    setBusy(c.id);
    setError(null);
    try {
      setMenu(await modelsApi.chooseModel(sessionId, c.id));
      setOpen(false);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  }

  function onMenuKey(e: React.KeyboardEvent) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const items = [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"], [role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    const next = items[(i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length];
    next?.focus();
  }

  const tokens = totalTokens(menu?.session_usage.usage);
  const groups = groupBySource(menu?.choices ?? []);
  return (
    <div className="model-menu" ref={root}>
      <button
        type="button"
        className="provider-badge"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        title="The model answering this analysis: click to change it"
        onClick={() => setOpen((o) => !o)}
      >
        <Sparkles size={13} aria-hidden="true" />
        <span className="provider-badge-label">{label}</span>
        <ChevronDown size={13} aria-hidden="true" />
      </button>
      {open && (
        <div className="model-popover" id={listId} role="menu" aria-label="Model for this analysis" onKeyDown={onMenuKey}>
          {!menu && !error && (
            <p className="model-popover-note">
              <Spinner size={14} /> Loading…
            </p>
          )}
          {groups.map(([source, list]) => (
            <div key={source} role="group" aria-label={source}>
              <p className="model-group">{source}</p>
              {list.map((c) => (
                <button
                  key={c.id}
                  type="button"
                  role="menuitemradio"
                  aria-checked={c.id === menu?.choice}
                  className="model-item"
                  disabled={!!busy || running}
                  onClick={() => void choose(c)}
                >
                  <span className="model-check" aria-hidden="true">
                    {busy === c.id ? <Spinner size={13} /> : c.id === menu?.choice ? <Check size={14} /> : null}
                  </span>
                  <span className="model-name">{choiceLabel(c)}</span>
                  {c.local && <span className="model-tag">free</span>}
                  {c.default && <span className="model-tag muted">default</span>}
                </button>
              ))}
            </div>
          ))}
          {running && <p className="model-popover-note">You can switch once this answer is finished.</p>}
          {error && (
            <p className="model-popover-note error" role="alert">
              {error}
            </p>
          )}
          {menu && (
            <div className="model-usage">
              <span>This analysis: {tokens ? `${formatTokens(tokens)} tokens` : 'no model tokens yet'}</span>
              {tokens > 0 && <span>{formatCost(menu.session_usage.cost) || '≈ $0'}</span>}
              {menu.budget && (
                <span className={menu.budget.used >= menu.budget.tokens ? 'over' : undefined}>
                  Month: {formatTokens(menu.budget.used)} of {formatTokens(menu.budget.tokens)} tokens
                </span>
              )}
            </div>
          )}
          <button
            type="button"
            role="menuitem"
            className="model-item model-settings"
            onClick={() => {
              setOpen(false);
              openSettings();
            }}
          >
            <span className="model-check" aria-hidden="true">
              <Settings size={14} />
            </span>
            <span className="model-name">Model settings…</span>
          </button>
        </div>
      )}
    </div>
  );
}

function groupBySource(choices: Choice[]): [string, Choice[]][] {
  const out = new Map<string, Choice[]>();
  for (const c of choices) {
    const k = c.source || c.provider;
    out.set(k, [...(out.get(k) ?? []), c]);
  }
  return [...out];
}
