import { CircleExclamationPoint, Sparkles } from 'lucide-react';
import type { ChatItem } from '../lib/chat';
import { Markdown } from './Markdown';
import { PlotView } from './PlotView';
import { QueryResultView } from './QueryResultView';
import { Spinner } from './ui';

type Block =
  | { kind: 'user'; item: Extract<ChatItem, { kind: 'user' }> }
  | { kind: 'assistant'; key: string; items: ChatItem[]; prompt: string };

function toBlocks(items: ChatItem[]): Block[] {
  const blocks: Block[] = [];
  let prompt = '';
  for (const it of items) {
    if (it.kind === 'user') {
      blocks.push({ kind: 'user', item: it });
      prompt = it.text;
      continue;
    }
    const last = blocks[blocks.length - 1];
    if (last && last.kind === 'assistant') last.items.push(it);
    else blocks.push({ kind: 'assistant', key: it.key, items: [it], prompt });
  }
  return blocks;
}

export function MessageList({
  items,
  running,
  status,
  sessionId,
}: {
  items: ChatItem[];
  running: boolean;
  status: string | null;
  /** Lets a stored result fetch the rest of its rows. */
  sessionId?: string;
}) {
  const blocks = toBlocks(items);
  const last = blocks[blocks.length - 1];
  // While a turn runs, its status line sits under the answer being written.
  const pending = running && (!last || last.kind === 'user');
  let queryIndex = 0;
  return (
    <div className="messages" aria-live="polite" aria-busy={running}>
      {blocks.map((b, bi) =>
        b.kind === 'user' ? (
          <div key={b.item.key} className="msg-user">
            {b.item.auto ? (
              <div className="bubble bubble-auto">
                <Sparkles size={14} aria-hidden="true" />
                {b.item.text}
              </div>
            ) : (
              <div className={`bubble${looksLikeSQL(b.item.text) ? ' bubble-sql' : ''}`}>{b.item.text}</div>
            )}
          </div>
        ) : (
          <div key={b.key} className="msg-assistant">
            <span className="assistant-avatar" aria-hidden="true">
              <Sparkles size={15} />
            </span>
            <div className="assistant-body">
              <span className="visually-hidden">Analyst:</span>
              {b.items.map((it) => {
                switch (it.kind) {
                  case 'text':
                    return <Markdown key={it.key} text={it.text} streaming={it.streaming} />;
                  case 'query':
                    // When the user typed the SQL, it is already on screen.
                    return (
                      <QueryResultView
                        key={it.key}
                        data={it.data}
                        index={++queryIndex}
                        source={sessionId && it.id ? { sessionId, messageId: it.id } : undefined}
                        sqlCollapsed={!!it.data.sql && sqlShownBefore(it.data.sql, b.prompt, b.items, it.key)}
                      />
                    );
                  case 'plot':
                    return <PlotView key={it.key} plot={it.plot} />;
                  case 'error':
                    return (
                      <div key={it.key} className="inline-error" role="alert">
                        <CircleExclamationPoint size={16} aria-hidden="true" />
                        <span>{it.text}</span>
                      </div>
                    );
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
              {running && bi === blocks.length - 1 && <StatusLine text={status} />}
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

function looksLikeSQL(text: string): boolean {
  return /^\s*(select|with|from|describe|summarize|show|pragma|explain)\b/i.test(text);
}

function normalizeSQL(sql: string): string {
  return sql.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim().toLowerCase();
}

/** The query is already on screen: the user typed it, or the text just before quotes it. */
function sqlShownBefore(sql: string, prompt: string, items: ChatItem[], key: string): boolean {
  const q = normalizeSQL(sql);
  if (q === normalizeSQL(prompt)) return true;
  const i = items.findIndex((it) => it.key === key);
  const prev = items[i - 1];
  return prev?.kind === 'text' && normalizeSQL(prev.text).includes(q);
}

function StatusLine({ text }: { text: string | null }) {
  return (
    <p className="status-line" role="status">
      <Spinner size={14} />
      <span>{text || 'Thinking…'}</span>
    </p>
  );
}
