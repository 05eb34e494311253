import { Check, CircleExclamationPoint, Copy, Pencil, RotateCcw, Sparkles } from 'lucide-react';
import { Fragment, useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../lib/api';
import { answerMarkdown, type ChatItem } from '../lib/chat';
import type { Message } from '../lib/types';
import { copyText } from '../lib/csv';
import { isStale } from '../lib/tables';
import { traceSummary, type Figure } from '../lib/trace';
import { AnswerMeter } from './AnswerMeter';
import { Markdown } from './Markdown';
import { PlotView } from './PlotView';
import { foldedQueries, QueryGroup, type Fold } from './QueryGroup';
import { QueryResultView } from './QueryResultView';
import { Rephrasings } from './Rephrasings';
import { Spinner } from './ui';

type UserItem = Extract<ChatItem, { kind: 'user' }>;

type Block =
  | { kind: 'user'; item: UserItem }
  | { kind: 'assistant'; key: string; items: ChatItem[]; prompt: string; question?: UserItem };

function toBlocks(items: ChatItem[]): Block[] {
  const blocks: Block[] = [];
  let question: UserItem | undefined;
  for (const it of items) {
    if (it.kind === 'user') {
      blocks.push({ kind: 'user', item: it });
      question = it;
      continue;
    }
    const last = blocks[blocks.length - 1];
    if (last && last.kind === 'assistant') last.items.push(it);
    else blocks.push({ kind: 'assistant', key: it.key, items: [it], prompt: question?.text ?? '', question });
  }
  return blocks;
}

/** "14:05" today, "3 Mar, 14:05" before; the full date and time in the tooltip. */
function timeLabel(iso: string | undefined): { short: string; full: string } | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const today = new Date().toDateString() === d.toDateString();
  const short = today ? time : `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}, ${time}`;
  return { short, full: d.toLocaleString() };
}

function Stamp({ at }: { at?: string }) {
  const t = timeLabel(at);
  if (!t) return null;
  return (
    <time className="msg-time" dateTime={at} title={t.full}>
      {t.short}
    </time>
  );
}

export function MessageList({
  items,
  running,
  status,
  sessionId,
  onRetry,
  onEdit,
  onRunSQL,
  connected = true,
  datasetColumns,
  onAsk,
  onAutoAnalyze,
  staleBefore,
}: {
  items: ChatItem[];
  running: boolean;
  status: string | null;
  /** Lets a stored result fetch the rest of its rows. */
  sessionId?: string;
  /** Answers the stored question messageId again. */
  onRetry?: (messageId: string) => void;
  /** Replaces the stored question messageId with text and answers it. */
  onEdit?: (messageId: string, text: string) => boolean;
  /** Sends SQL as a new question (the SQL blocks' Run); false when it could not be sent. */
  onRunSQL?: (sql: string) => boolean;
  /** The connection is up: Run can send. */
  connected?: boolean;
  /** The dataset's column names, completed in the SQL editor. */
  datasetColumns?: string[];
  /** Sends an offered question; onAutoAnalyze runs the automatic analysis. */
  onAsk?: (text: string) => void;
  onAutoAnalyze?: () => void;
  /** When the data last changed: answers before it are marked (lib/tables). */
  staleBefore?: string;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  // The cell a clicked figure came from: the query item's key, its row and column.
  const [highlight, setHighlight] = useState<{ key: string; row: number; column?: string; seq: number } | null>(null);
  // Folded groups of results the user opened (or a traced figure opened), by the group's key.
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set());
  const setOpen = useCallback((groupKey: string, open: boolean) => {
    setOpened((s) => {
      if (s.has(groupKey) === open) return s;
      const next = new Set(s);
      if (open) next.add(groupKey);
      else next.delete(groupKey);
      return next;
    });
  }, []);
  const showSource = useCallback(
    (answer: ChatItem[], f: Figure) => {
      const s = f.source;
      if (!s) return;
      const target = answer.filter((it) => it.kind === 'query')[s.result];
      if (!target) return;
      const fold = foldedQueries(answer).find((g) => g.queries.some((q) => q.key === target.key));
      if (fold) setOpen(fold.key, true);
      setHighlight((h) => ({ key: target.key, row: s.row, column: s.column, seq: (h?.seq ?? 0) + 1 }));
    },
    [setOpen],
  );
  // Scrolled to once rendered: a result in a folded group is shown only by the render that opens it.
  useEffect(() => {
    if (highlight) document.getElementById(resultAnchor(highlight.key))?.scrollIntoView?.({ behavior: 'smooth', block: 'center' });
  }, [highlight]);
  // A result shown live has no id until the conversation is read back: find its stored copy.
  const resolveSource = useCallback(
    async (key: string) => {
      if (!sessionId) return null;
      const d = await api.session(sessionId);
      const stored = (d.messages ?? []).filter((m) => m.type === 'query_result');
      const live = items.filter((it) => it.kind === 'query');
      const at = live.findIndex((it) => it.key === key);
      const sql = normalizeSQL(live[at]?.data.sql ?? '');
      const sqlOf = (m: Message) => normalizeSQL(((m.data ?? {}) as { sql?: string }).sql ?? '');
      const found = stored[at] && sqlOf(stored[at]) === sql ? stored[at] : [...stored].reverse().find((m) => sqlOf(m) === sql);
      return found ? { sessionId, messageId: found.id } : null;
    },
    [sessionId, items],
  );
  const blocks = toBlocks(items);
  const last = blocks[blocks.length - 1];
  // While a turn runs, its status line sits under the answer being written.
  const pending = running && (!last || last.kind === 'user');
  // Each result's number counts the conversation's results in order, wherever a result is shown.
  const queryIndex = new Map<string, number>();
  for (const it of items) if (it.kind === 'query') queryIndex.set(it.key, queryIndex.size + 1);
  return (
    <div className="messages" aria-live="polite" aria-busy={running}>
      {blocks.map((b, bi) =>
        b.kind === 'user' ? (
          <div key={b.item.key} className="msg-user">
            {editing !== null && editing === b.item.id ? (
              <EditQuestion
                text={b.item.text}
                onCancel={() => setEditing(null)}
                onSave={(text) => {
                  if (b.item.id && onEdit?.(b.item.id, text)) setEditing(null);
                }}
              />
            ) : (
              <>
                <div className="msg-tools">
                  <Stamp at={b.item.at} />
                  {onEdit && b.item.id && !b.item.auto && !running && (
                    <button type="button" className="msg-tool" aria-label="Edit question" title="Edit and resend" onClick={() => setEditing(b.item.id ?? null)}>
                      <Pencil size={14} aria-hidden="true" />
                    </button>
                  )}
                </div>
                {b.item.auto ? (
                  <div className="bubble bubble-auto">
                    <Sparkles size={14} aria-hidden="true" />
                    {b.item.text}
                  </div>
                ) : (
                  <UserBubble text={b.item.text} />
                )}
              </>
            )}
          </div>
        ) : (
          <div key={b.key} className="msg-assistant">
            <span className="assistant-avatar" aria-hidden="true">
              <Sparkles size={15} />
            </span>
            <div className="assistant-body">
              <span className="visually-hidden">Analyst:</span>
              {staleAnswer(b.items, staleBefore) && (
                <p className="notice stale-note" title="A table was changed, undone or redone after this answer">
                  Computed on earlier data: the tables changed since.
                </p>
              )}
              {renderAnswer(b.items, opened, setOpen, queryIndex, (it) => {
                switch (it.kind) {
                  case 'text':
                    return (
                      <Markdown
                        key={it.key}
                        text={withoutQuotedSQL(it.text, b.items, it.key)}
                        streaming={it.streaming}
                        figures={it.trace?.figures}
                        onFigure={(f) => showSource(b.items, f)}
                      />
                    );
                  case 'query':
                    // The SQL is shown once, in its result; a typed query starts folded, as its question names it.
                    return (
                      <QueryResultView
                        key={it.key}
                        data={it.data}
                        index={queryIndex.get(it.key) ?? 0}
                        anchor={resultAnchor(it.key)}
                        highlight={highlight?.key === it.key ? highlight : undefined}
                        source={sessionId && it.id ? { sessionId, messageId: it.id } : undefined}
                        resolveSource={sessionId && !it.id ? () => resolveSource(it.key) : undefined}
                        sqlCollapsed={!!it.data.sql && normalizeSQL(it.data.sql) === normalizeSQL(b.prompt)}
                        datasetColumns={datasetColumns}
                        onRunSQL={onRunSQL}
                        runDisabled={running ? 'Wait for the current answer to finish' : !connected ? 'Not connected to the server' : undefined}
                      />
                    );
                  case 'plot':
                    return <PlotView key={it.key} plot={it.plot} />;
                  case 'suggestions':
                    return (
                      <Rephrasings key={it.key} suggestions={it.suggestions} disabled={running} onAsk={onAsk} onAutoAnalyze={onAutoAnalyze} />
                    );
                  case 'error':
                    return (
                      <div key={it.key} className="inline-error" role="alert">
                        <CircleExclamationPoint size={16} aria-hidden="true" />
                        <span>{it.text}</span>
                      </div>
                    );
                  case 'meter':
                    return <AnswerMeter key={it.key} answer={it.answer} />;
                  case 'notice':
                    return (
                      <p key={it.key} className={`notice${it.tone === 'warning' ? ' warning' : ''}`}>
                        {it.text}
                      </p>
                    );
                  default:
                    return null;
                }
              })}
              {running && bi === blocks.length - 1 ? (
                <StatusLine text={status} />
              ) : (
                <AnswerTools items={b.items} question={b.question} onRetry={running ? undefined : onRetry} />
              )}
            </div>
          </div>
        ),
      )}
      {pending && (
        <div className="msg-assistant">
          <span className="assistant-avatar" aria-hidden="true">
            <Sparkles size={15} />
          </span>
          <div className="assistant-body">
            <StatusLine text={status} />
          </div>
        </div>
      )}
    </div>
  );
}

/**
 * An answer's parts in their stored order, except that each run of results it ran before writing
 * about them, when long enough to bury the text, is folded into one group after that text and its charts.
 */
function renderAnswer(
  items: ChatItem[],
  opened: ReadonlySet<string>,
  setOpen: (groupKey: string, open: boolean) => void,
  indexes: Map<string, number>,
  part: (it: ChatItem) => ReactNode,
): ReactNode {
  const folds = foldedQueries(items);
  if (!folds.length) return items.map(part);
  const foldOf = new Map<string, Fold>();
  for (const f of folds) for (const q of f.queries) foldOf.set(q.key, f);
  const group = (f: Fold) => (
    <QueryGroup key={`group-${f.key}`} queries={f.queries} indexes={indexes} open={opened.has(f.key)} onToggle={(open) => setOpen(f.key, open)}>
      {f.queries.map(part)}
    </QueryGroup>
  );
  const out: ReactNode[] = [];
  for (const it of items) {
    const f = foldOf.get(it.key);
    if (f) {
      if (f.after === null && f.key === it.key) out.push(group(f));
      continue;
    }
    out.push(<Fragment key={it.key}>{part(it)}</Fragment>);
    for (const g of folds) if (g.after === it.key) out.push(group(g));
  }
  return out;
}

/** The id of a query result's element, which a traced figure scrolls to. */
function resultAnchor(key: string): string {
  return `result-${key}`;
}

function looksLikeSQL(text: string): boolean {
  return /^\s*(select|with|from|describe|summarize|show|pragma|explain)\b/i.test(text);
}

function normalizeSQL(sql: string): string {
  return sql.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim().toLowerCase();
}

/** Fenced SQL blocks in an answer's text. */
const FENCED_SQL = /```(?:sql|duckdb)?[ \t]*\n([\s\S]*?)\n?```[ \t]*\n?/gi;

/**
 * The answer's text without the fenced SQL that a result below it shows:
 * the query appears once, in its result's SQL block.
 */
export function withoutQuotedSQL(text: string, items: ChatItem[], key: string): string {
  const i = items.findIndex((it) => it.key === key);
  const shown = new Set<string>();
  for (const it of items.slice(i + 1)) if (it.kind === 'query' && it.data.sql) shown.add(normalizeSQL(it.data.sql));
  if (!shown.size || !text.includes('```')) return text;
  return text.replace(FENCED_SQL, (block, body: string) => (shown.has(normalizeSQL(body)) ? '' : block));
}

/** A question; typed SQL is shown as one folded line (its result holds the whole query). */
function UserBubble({ text }: { text: string }) {
  if (!looksLikeSQL(text)) return <div className="bubble">{text}</div>;
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return (
    <div className="bubble bubble-sql" title={text}>
      <span className="bubble-sql-tag">SQL</span>
      <span className="bubble-sql-text">{oneLine}</span>
    </div>
  );
}

function StatusLine({ text }: { text: string | null }) {
  return (
    <p className="status-line" role="status">
      <Spinner size={14} />
      <span>{text || 'Thinking…'}</span>
    </p>
  );
}

/** Copy, retry and the time of an answer, under it. */
function AnswerTools({ items, question, onRetry }: { items: ChatItem[]; question?: UserItem; onRetry?: (id: string) => void }) {
  const [copied, setCopied] = useState(false);
  const markdown = answerMarkdown(items);
  const traced = traceSummary(items.map((it) => (it.kind === 'text' ? it.trace : undefined)));
  let at: string | undefined;
  for (const it of items) if (it.kind !== 'notice' && it.at) at ??= it.at;
  async function copy() {
    try {
      await copyText(markdown);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      /* clipboard refused: nothing to do */
    }
  }
  return (
    <div className="msg-tools answer-tools">
      {markdown && (
        <button type="button" className="msg-tool" aria-label="Copy answer as Markdown" title="Copy as Markdown" onClick={() => void copy()}>
          {copied ? <Check size={14} aria-hidden="true" /> : <Copy size={14} aria-hidden="true" />}
        </button>
      )}
      {onRetry && question?.id && (
        <button type="button" className="msg-tool" aria-label="Retry" title="Answer again" onClick={() => onRetry(question.id as string)}>
          <RotateCcw size={14} aria-hidden="true" />
        </button>
      )}
      <Stamp at={at} />
      {traced && (
        <span className={`trace-summary${traced.all ? '' : ' has-untraced'}`} title="Figures in this answer found in its query results">
          {traced.text}
        </span>
      )}
    </div>
  );
}

/** A question being edited: resend replaces it and what followed. */
function EditQuestion({ text, onSave, onCancel }: { text: string; onSave: (text: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(text);
  function submit(e: FormEvent) {
    e.preventDefault();
    const t = value.trim();
    if (t) onSave(t);
  }
  return (
    <form className="edit-question" onSubmit={submit}>
      <textarea
        aria-label="Edited question"
        value={value}
        rows={Math.min(8, Math.max(2, value.split('\n').length))}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
          if (e.key === 'Enter' && !e.shiftKey) submit(e);
        }}
        autoFocus
      />
      <div className="edit-actions">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={!value.trim()}>
          Send
        </button>
      </div>
    </form>
  );
}

/** An answer is stale when its last stored part is older than the data's last change. */
function staleAnswer(items: ChatItem[], changedAt: string | undefined): boolean {
  if (!changedAt) return false;
  let at: string | undefined;
  for (const it of items) if ('at' in it && it.at) at = it.at;
  return isStale(at, changedAt);
}
