import type { AnswerUsage, Part, Suggestion } from './events.gen';
import type { Message, PlotData, QueryResult, ServerEvent } from './types';

/** One thing shown in the conversation; `at` is when it was stored (or received). */
export type ChatItem =
  | { kind: 'user'; key: string; id?: string; text: string; auto?: boolean; at?: string }
  | { kind: 'text'; key: string; id?: string; text: string; streaming?: boolean; at?: string; trace?: Part }
  | { kind: 'query'; key: string; id?: string; data: QueryResult; at?: string }
  | { kind: 'plot'; key: string; id?: string; plot: PlotData; at?: string }
  | { kind: 'error'; key: string; id?: string; text: string; at?: string }
  | { kind: 'suggestions'; key: string; id?: string; suggestions: Suggestion[]; at?: string }
  | { kind: 'notice'; key: string; text: string; tone?: 'muted' | 'warning' }
  /** Who wrote the answer above, its tokens and cost (the answer's last item). */
  | { kind: 'meter'; key: string; answer: AnswerUsage; at?: undefined };

export interface ChatState {
  items: ChatItem[];
  /** A turn is running on the server: the Stop button shows. */
  running: boolean;
  /** The latest status line of the running turn. */
  status: string | null;
  /** Counter for keys of items made on this page. */
  seq: number;
}

export type ChatAction =
  | { type: 'history'; messages: Message[] }
  | { type: 'send'; text: string }
  | { type: 'auto_analyze' }
  | { type: 'retry'; messageId: string }
  | { type: 'edit'; messageId: string; text: string }
  | { type: 'event'; event: ServerEvent; at?: string }
  | { type: 'disconnected' }
  | { type: 'stop_requested' };

/** What the server stores as the user's message of an auto-analyze turn. */
export const AUTO_ANALYZE_TEXT = 'Auto-analyze';

export const initialChat: ChatState = { items: [], running: false, status: null, seq: 0 };

function emptyResult(): QueryResult {
  return { result: [], is_error: false };
}

/** Turns stored messages into items; ids make the keys, so a reload never doubles a message. */
export function itemsFromMessages(messages: Message[]): ChatItem[] {
  const items: ChatItem[] = [];
  const seen = new Set<string>();
  messages.forEach((m, i) => {
    if (m.id) {
      if (seen.has(m.id)) return;
      seen.add(m.id);
    }
    const key = `m-${m.id}`;
    const text = m.text ?? '';
    const at = m.created_at ? { at: m.created_at } : {};
    if (m.role === 'user') {
      const auto = m.kind === 'auto_analyze';
      items.push({ kind: 'user', key, id: m.id, text: text || AUTO_ANALYZE_TEXT, ...(auto ? { auto } : {}), ...at });
    } else if (m.type === 'query_result') {
      const data = (m.data as QueryResult | null) ?? { ...emptyResult(), is_error: !!text, error: text || undefined };
      items.push({ kind: 'query', key, id: m.id, data: { ...emptyResult(), ...data }, ...at });
    } else if (m.type === 'plot' && m.plot_data?.vega_lite_spec) {
      items.push({ kind: 'plot', key, id: m.id, plot: m.plot_data, ...at });
    } else if (m.type === 'suggestions') {
      const list = (m.data as { suggestions?: Suggestion[] } | null)?.suggestions;
      if (list?.length) items.push({ kind: 'suggestions', key, id: m.id, suggestions: list, ...at });
    } else if (m.type === 'error') {
      items.push({ kind: 'error', key, id: m.id, text: text || 'Something went wrong.', ...at });
    } else if (text) {
      const trace = tracePart(m.data);
      items.push({ kind: 'text', key, id: m.id, text, ...at, ...(trace ? { trace } : {}) });
    }
    // A stopped turn may store several messages flagged stopped: one notice after the last.
    const next = messages[i + 1];
    if (m.stopped && m.role === 'assistant' && !(next?.role === 'assistant' && next.stopped)) {
      items.push({ kind: 'notice', key: `${key}-stopped`, text: 'Stopped' });
    }
    if (m.answer && m.role === 'assistant') items.push({ kind: 'meter', key: `${key}-meter`, answer: m.answer });
  });
  return items;
}

/** A stored text's trace (its data), when it has one. */
function tracePart(data: unknown): Part | undefined {
  const d = data as Part | null | undefined;
  return d && Array.isArray(d.figures) ? d : undefined;
}

/** Gives the text parts of the last answer their traces, in order. */
function withTrace(items: ChatItem[], parts: Part[] | undefined): ChatItem[] {
  if (!parts?.length) return items;
  let start = items.length;
  while (start > 0 && items[start - 1].kind !== 'user') start--;
  let n = 0;
  return items.map((it, i) => {
    if (i < start || it.kind !== 'text' || !it.text.trim()) return it;
    const trace = parts[n++];
    return trace ? { ...it, trace } : it;
  });
}

/** Ends the streaming state of the last text item. */
function settle(items: ChatItem[]): ChatItem[] {
  const last = items[items.length - 1];
  if (last && last.kind === 'text' && last.streaming) {
    return [...items.slice(0, -1), { ...last, streaming: false }];
  }
  return items;
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'history':
      // The server's copy replaces everything shown: messages streamed on
      // this page are in it now, with their ids.
      return { ...state, items: itemsFromMessages(action.messages), running: false, status: null };

    case 'send': {
      const seq = state.seq + 1;
      return {
        ...state,
        seq,
        running: true,
        status: null,
        items: [...settle(state.items), { kind: 'user', key: `l-${seq}`, text: action.text }],
      };
    }

    case 'auto_analyze': {
      const seq = state.seq + 1;
      return {
        ...state,
        seq,
        running: true,
        status: null,
        items: [...settle(state.items), { kind: 'user', key: `l-${seq}`, text: AUTO_ANALYZE_TEXT, auto: true }],
      };
    }

    case 'retry': {
      // The answers after the question go; the question stays.
      const i = state.items.findIndex((it) => it.kind === 'user' && it.id === action.messageId);
      if (i < 0) return state;
      return { ...state, running: true, status: null, items: state.items.slice(0, i + 1) };
    }

    case 'edit': {
      // The question and everything after it go; the new one takes its place.
      const i = state.items.findIndex((it) => it.kind === 'user' && it.id === action.messageId);
      if (i < 0) return state;
      const seq = state.seq + 1;
      return {
        ...state,
        seq,
        running: true,
        status: null,
        items: [...state.items.slice(0, i), { kind: 'user', key: `l-${seq}`, text: action.text }],
      };
    }

    case 'stop_requested':
      return state.running ? { ...state, status: 'Stopping…' } : state;

    case 'disconnected': {
      if (!state.running) return state;
      const seq = state.seq + 1;
      return {
        ...state,
        seq,
        running: false,
        status: null,
        items: [
          ...settle(state.items),
          { kind: 'notice', key: `l-${seq}`, text: 'Connection lost. Reconnecting…', tone: 'warning' },
        ],
      };
    }

    case 'event':
      return applyEvent(state, action.event, action.at);
  }
}

function applyEvent(state: ChatState, ev: ServerEvent, received?: string): ChatState {
  const seq = state.seq + 1;
  const at = received ? { at: received } : {};
  switch (ev.event) {
    case 'user_message': {
      // The server stored the question: it gets its id (for retry and edit)
      // and its time. A retry or an edit names what it replaced.
      const d = ev.data;
      const user: ChatItem = {
        kind: 'user',
        key: `m-${d.id}`,
        id: d.id,
        text: d.text || AUTO_ANALYZE_TEXT,
        at: d.created_at,
        ...(d.kind === 'auto_analyze' ? { auto: true } : {}),
      };
      let items = state.items;
      const replaced = d.replaces ? items.findIndex((it) => it.kind === 'user' && it.id === d.replaces) : -1;
      if (replaced >= 0) {
        // Whatever this page still shows after the replaced question goes.
        items = items.slice(0, replaced);
      } else {
        // The question this page added when it was sent: the last one without an id.
        let last = -1;
        items.forEach((it, i) => {
          if (it.kind === 'user' && !it.id) last = i;
        });
        if (last < 0) return { ...state, running: true };
        const confirmed = [...items];
        confirmed[last] = { ...user, key: items[last].key };
        return { ...state, running: true, items: confirmed };
      }
      return { ...state, running: true, items: [...items, user] };
    }
    case 'text': {
      const delta = ev.data?.text ?? '';
      if (!delta) return state;
      const last = state.items[state.items.length - 1];
      if (last && last.kind === 'text' && last.streaming) {
        const items = state.items.slice(0, -1);
        items.push({ ...last, text: last.text + delta });
        return { ...state, running: true, items };
      }
      return {
        ...state,
        seq,
        running: true,
        items: [...state.items, { kind: 'text', key: `l-${seq}`, text: delta, streaming: true, ...at }],
      };
    }
    case 'query_result':
      return {
        ...state,
        seq,
        running: true,
        items: [...settle(state.items), { kind: 'query', key: `l-${seq}`, data: { ...emptyResult(), ...ev.data }, ...at }],
      };
    case 'plot':
      if (!ev.data?.vega_lite_spec) return state;
      return {
        ...state,
        seq,
        running: true,
        items: [...settle(state.items), { kind: 'plot', key: `l-${seq}`, plot: ev.data, ...at }],
      };
    case 'suggestions':
      if (!ev.data?.suggestions?.length) return state;
      return {
        ...state,
        seq,
        items: [...settle(state.items), { kind: 'suggestions', key: `l-${seq}`, suggestions: ev.data.suggestions, ...at }],
      };
    case 'status':
      return { ...state, running: true, status: ev.data?.message ?? null };
    case 'error':
      return {
        ...state,
        seq,
        items: [...settle(state.items), { kind: 'error', key: `l-${seq}`, text: ev.data?.message || 'Something went wrong.', ...at }],
      };
    case 'notice':
      if (!ev.data?.message) return state;
      return { ...state, seq, items: [...settle(state.items), { kind: 'notice', key: `l-${seq}`, text: ev.data.message, tone: 'warning' }] };
    case 'done': {
      const items = withTrace(settle(state.items), ev.data?.trace?.parts);
      if (ev.data?.stopped) items.push({ kind: 'notice', key: `l-${seq}`, text: 'Stopped' });
      const d = ev.data;
      if (d?.model && items.length && items[items.length - 1].kind !== 'user') {
        const usage = d.usage ?? { input_tokens: 0, output_tokens: 0 };
        items.push({ kind: 'meter', key: `l-${seq}-meter`, answer: { model: d.model, usage, cost: d.cost ?? { usd: 0 } } });
      }
      return { ...state, seq, running: false, status: null, items };
    }
    case 'session_update':
      return state;
    default:
      return state;
  }
}

/** Parses one WebSocket frame; unknown or malformed frames give null. */
export function parseServerEvent(raw: unknown): ServerEvent | null {
  if (typeof raw !== 'string') return null;
  try {
    const v = JSON.parse(raw) as { event?: unknown; data?: unknown };
    if (!v || typeof v.event !== 'string') return null;
    return { event: v.event, data: (v.data ?? {}) as never } as ServerEvent;
  } catch {
    return null;
  }
}

/**
 * An answer as Markdown, for the clipboard: its text as written, each query
 * as a fenced SQL block followed by a table of its first rows, each chart by
 * its title, each error quoted.
 */
export function answerMarkdown(items: ChatItem[], maxRows = 20): string {
  const parts: string[] = [];
  for (const it of items) {
    switch (it.kind) {
      case 'text':
        parts.push(it.text.trim());
        break;
      case 'query': {
        const q = it.data;
        if (q.sql) parts.push('```sql\n' + q.sql.trim() + '\n```');
        if (q.is_error) {
          parts.push(`> ${q.error || 'The query failed.'}`);
          break;
        }
        const rows = q.result ?? [];
        const cols = q.columns?.length ? q.columns : Object.keys(rows[0] ?? {});
        if (cols.length === 0) break;
        const cell = (v: unknown) =>
          (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)).replace(/\|/g, '\\|').replace(/\n/g, ' ');
        const lines = [`| ${cols.map(cell).join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`];
        for (const r of rows.slice(0, maxRows)) lines.push(`| ${cols.map((c) => cell(r[c])).join(' | ')} |`);
        const total = q.row_count ?? rows.length;
        if (total > Math.min(rows.length, maxRows)) lines.push('', `*${Math.min(rows.length, maxRows)} of ${total} rows*`);
        parts.push(lines.join('\n'));
        break;
      }
      case 'plot':
        parts.push(`*Chart: ${it.plot.title || 'untitled'}*`);
        break;
      case 'error':
        parts.push(`> ${it.text}`);
        break;
      default:
        break;
    }
  }
  return parts.filter(Boolean).join('\n\n');
}
