import type { Message, PlotData, QueryResult, ServerEvent } from './types';

/** One thing shown in the conversation. */
export type ChatItem =
  | { kind: 'user'; key: string; id?: string; text: string; auto?: boolean }
  | { kind: 'text'; key: string; id?: string; text: string; streaming?: boolean }
  | { kind: 'query'; key: string; id?: string; data: QueryResult }
  | { kind: 'plot'; key: string; id?: string; plot: PlotData }
  | { kind: 'error'; key: string; id?: string; text: string }
  | { kind: 'notice'; key: string; text: string; tone?: 'muted' | 'warning' };

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
  | { type: 'event'; event: ServerEvent }
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
    if (m.role === 'user') {
      const auto = m.kind === 'auto_analyze';
      items.push({ kind: 'user', key, id: m.id, text: text || AUTO_ANALYZE_TEXT, ...(auto ? { auto } : {}) });
    } else if (m.type === 'query_result') {
      const data = (m.data as QueryResult | null) ?? { ...emptyResult(), is_error: !!text, error: text || undefined };
      items.push({ kind: 'query', key, id: m.id, data: { ...emptyResult(), ...data } });
    } else if (m.type === 'plot' && m.plot_data?.vega_lite_spec) {
      items.push({ kind: 'plot', key, id: m.id, plot: m.plot_data });
    } else if (m.type === 'error') {
      items.push({ kind: 'error', key, id: m.id, text: text || 'Something went wrong.' });
    } else if (text) {
      items.push({ kind: 'text', key, id: m.id, text });
    }
    // A stopped turn may store several messages flagged stopped: one notice after the last.
    const next = messages[i + 1];
    if (m.stopped && m.role === 'assistant' && !(next?.role === 'assistant' && next.stopped)) {
      items.push({ kind: 'notice', key: `${key}-stopped`, text: 'Stopped' });
    }
  });
  return items;
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
      return applyEvent(state, action.event);
  }
}

function applyEvent(state: ChatState, ev: ServerEvent): ChatState {
  const seq = state.seq + 1;
  switch (ev.event) {
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
        items: [...state.items, { kind: 'text', key: `l-${seq}`, text: delta, streaming: true }],
      };
    }
    case 'query_result':
      return {
        ...state,
        seq,
        running: true,
        items: [...settle(state.items), { kind: 'query', key: `l-${seq}`, data: { ...emptyResult(), ...ev.data } }],
      };
    case 'plot':
      if (!ev.data?.vega_lite_spec) return state;
      return {
        ...state,
        seq,
        running: true,
        items: [...settle(state.items), { kind: 'plot', key: `l-${seq}`, plot: ev.data }],
      };
    case 'status':
      return { ...state, running: true, status: ev.data?.message ?? null };
    case 'error':
      return {
        ...state,
        seq,
        items: [...settle(state.items), { kind: 'error', key: `l-${seq}`, text: ev.data?.message || 'Something went wrong.' }],
      };
    case 'done': {
      const items = settle(state.items);
      if (ev.data?.stopped) items.push({ kind: 'notice', key: `l-${seq}`, text: 'Stopped' });
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
