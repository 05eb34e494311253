// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { answerMarkdown, chatReducer, initialChat, itemsFromMessages, parseServerEvent, type ChatState } from './chat';
import type { Message, ServerEvent } from './types';

/** An event as a test writes it: only the fields it needs. */
type Loose = { [E in ServerEvent as E['event']]: { event: E['event']; data: Partial<E['data']> } }[ServerEvent['event']];
const ev = (e: Loose) => ({ type: 'event' as const, event: e as ServerEvent });
const run = (state: ChatState, ...events: Loose[]) => events.reduce((s, e) => chatReducer(s, ev(e)), state);

const msg = (m: Partial<Message> & Pick<Message, 'id' | 'role' | 'type'>): Message => ({ text: '', ...m });

describe('chatReducer', () => {
  it('joins consecutive text deltas into one streaming message', () => {
    let s = chatReducer(initialChat, { type: 'send', text: 'hi' });
    s = run(s, { event: 'text', data: { text: 'Hel' } }, { event: 'text', data: { text: 'lo **world**' } });
    expect(s.items).toHaveLength(2);
    expect(s.items[1]).toMatchObject({ kind: 'text', text: 'Hello **world**', streaming: true });
    expect(s.running).toBe(true);
  });

  it('starts a new text message after a query result or plot', () => {
    const s = run(
      chatReducer(initialChat, { type: 'send', text: 'q' }),
      { event: 'text', data: { text: 'Before' } },
      { event: 'query_result', data: { result: [{ a: 1 }], is_error: false, sql: 'SELECT 1 AS a' } },
      { event: 'text', data: { text: 'After' } },
      { event: 'plot', data: { title: 'T', vega_lite_spec: { mark: 'bar' } } },
      { event: 'text', data: { text: 'End' } },
    );
    expect(s.items.map((i) => i.kind)).toEqual(['user', 'text', 'query', 'text', 'plot', 'text']);
    expect(s.items[1]).toMatchObject({ text: 'Before', streaming: false });
    expect(s.items[3]).toMatchObject({ text: 'After', streaming: false });
  });

  it('shows the latest status and clears it when the turn is done', () => {
    let s = chatReducer(initialChat, { type: 'send', text: 'q' });
    s = run(s, { event: 'status', data: { message: 'Running query…' } });
    expect(s.status).toBe('Running query…');
    s = run(s, { event: 'status', data: { message: 'Drawing chart…' } }, { event: 'done', data: { data_updated: false, stopped: false } });
    expect(s.status).toBeNull();
    expect(s.running).toBe(false);
    expect(s.items.some((i) => i.kind === 'notice')).toBe(false);
  });

  it('marks a stopped turn and ends streaming', () => {
    let s = chatReducer(initialChat, { type: 'send', text: 'q' });
    s = run(s, { event: 'text', data: { text: 'partial' } });
    s = chatReducer(s, { type: 'stop_requested' });
    expect(s.status).toBe('Stopping…');
    s = run(s, { event: 'done', data: { stopped: true } });
    expect(s.running).toBe(false);
    expect(s.items[1]).toMatchObject({ kind: 'text', streaming: false });
    expect(s.items[2]).toMatchObject({ kind: 'notice', text: 'Stopped' });
  });

  it('shows error events inline without ending the turn', () => {
    let s = chatReducer(initialChat, { type: 'send', text: 'q' });
    s = run(s, { event: 'error', data: { message: 'Binder Error: column "x" not found' } });
    expect(s.items[1]).toMatchObject({ kind: 'error', text: 'Binder Error: column "x" not found' });
    expect(s.running).toBe(true);
  });

  it('never duplicates messages when the stored history replaces what was streamed', () => {
    let s = chatReducer(initialChat, { type: 'send', text: 'SELECT 1' });
    s = run(s, { event: 'query_result', data: { result: [{ '1': 1 }], is_error: false } });
    s = chatReducer(s, { type: 'disconnected' });
    expect(s.items.at(-1)).toMatchObject({ kind: 'notice', tone: 'warning' });
    const stored: Message[] = [
      msg({ id: 'u1', role: 'user', type: 'text', text: 'SELECT 1' }),
      msg({ id: 'a1', role: 'assistant', type: 'query_result', data: { result: [{ '1': 1 }], is_error: false } }),
    ];
    // Reconnecting may load the history more than once, and a message may come twice.
    s = chatReducer(s, { type: 'history', messages: stored });
    s = chatReducer(s, { type: 'history', messages: [...stored, stored[1]] });
    expect(s.items.map((i) => i.kind)).toEqual(['user', 'query']);
    expect(s.items.map((i) => i.key)).toEqual(['m-u1', 'm-a1']);
    expect(s.running).toBe(false);
  });

  it('ignores session_update, empty deltas and plots without a spec', () => {
    const s = run(
      initialChat,
      { event: 'session_update', data: { title: 'New' } },
      { event: 'text', data: { text: '' } },
      { event: 'plot', data: { title: 'x' } as never },
    );
    expect(s.items).toEqual([]);
  });

  it('adds the auto-analyze request as the server stores it', () => {
    const s = chatReducer(initialChat, { type: 'auto_analyze' });
    expect(s.items[0]).toMatchObject({ kind: 'user', text: 'Auto-analyze', auto: true });
    expect(s.running).toBe(true);
  });
});

describe('itemsFromMessages', () => {
  it('restores every message type in order', () => {
    const items = itemsFromMessages([
      msg({ id: '1', role: 'user', type: 'text', text: 'Auto-analyze', kind: 'auto_analyze' }),
      msg({ id: '2', role: 'assistant', type: 'text', text: '# Overview' }),
      msg({ id: '3', role: 'assistant', type: 'query_result', data: { result: [], is_error: true, error: 'bad', sql: 'SELEC' } }),
      msg({ id: '4', role: 'assistant', type: 'plot', plot_data: { title: 'P', vega_lite_spec: { mark: 'bar' } } }),
      msg({ id: '5', role: 'assistant', type: 'error', text: 'boom' }),
      msg({ id: '6', role: 'user', type: 'text', text: 'long query' }),
      msg({ id: '7', role: 'assistant', type: 'text', text: 'partial', stopped: true }),
      msg({ id: '8', role: 'assistant', type: 'query_result', data: null, text: 'cancelled', stopped: true }),
    ]);
    expect(items.map((i) => i.kind)).toEqual(['user', 'text', 'query', 'plot', 'error', 'user', 'text', 'query', 'notice']);
    expect(items[0]).toMatchObject({ auto: true });
    expect(items[2]).toMatchObject({ data: { is_error: true, error: 'bad', sql: 'SELEC' } });
    expect(items[7]).toMatchObject({ data: { is_error: true, error: 'cancelled', result: [] } });
  });

  it('skips empty assistant text and plots without specs', () => {
    const items = itemsFromMessages([
      msg({ id: '1', role: 'assistant', type: 'text', text: '' }),
      msg({ id: '2', role: 'assistant', type: 'plot', plot_data: null }),
    ]);
    expect(items).toEqual([]);
  });
});

describe('parseServerEvent', () => {
  it('parses events and rejects garbage', () => {
    expect(parseServerEvent('{"event":"text","data":{"text":"a"}}')).toEqual({ event: 'text', data: { text: 'a' } });
    expect(parseServerEvent('{"event":"done"}')).toEqual({ event: 'done', data: {} });
    expect(parseServerEvent('not json')).toBeNull();
    expect(parseServerEvent('{"data":1}')).toBeNull();
    expect(parseServerEvent(new ArrayBuffer(2))).toBeNull();
  });
});

describe('message controls', () => {
  const q1 = msg({ id: 'q1', role: 'user', type: 'text', text: 'first?', kind: 'message', created_at: '2026-01-02T10:00:00Z' });
  const a1 = msg({ id: 'a1', role: 'assistant', type: 'text', text: 'one', created_at: '2026-01-02T10:00:01Z' });
  const q2 = msg({ id: 'q2', role: 'user', type: 'text', text: 'second?', kind: 'message' });
  const a2 = msg({ id: 'a2', role: 'assistant', type: 'text', text: 'two' });
  const loaded = chatReducer(initialChat, { type: 'history', messages: [q1, a1, q2, a2] });

  it('keeps the stored time of each message', () => {
    expect(loaded.items[0]).toMatchObject({ id: 'q1', at: '2026-01-02T10:00:00Z' });
    expect(loaded.items[1]).toMatchObject({ id: 'a1', at: '2026-01-02T10:00:01Z' });
  });

  it('gives a sent question the id and time the server stored it with', () => {
    let s = chatReducer(initialChat, { type: 'send', text: 'hi' });
    s = run(s, { event: 'user_message', data: { id: 'u1', text: 'hi', kind: 'message', created_at: '2026-01-02T10:00:00Z' } });
    expect(s.items).toHaveLength(1);
    expect(s.items[0]).toMatchObject({ kind: 'user', id: 'u1', text: 'hi', at: '2026-01-02T10:00:00Z' });
  });

  it('retry drops the answers after the question and keeps the question', () => {
    let s = chatReducer(loaded, { type: 'retry', messageId: 'q1' });
    expect(s.running).toBe(true);
    expect(s.items.map((i) => i.kind === 'user' || i.kind === 'text' ? i.id : i.kind)).toEqual(['q1']);
    s = run(s, { event: 'user_message', data: { id: 'q1', text: 'first?', kind: 'message', created_at: 'x', replaces: 'q1' } }, { event: 'text', data: { text: 'again' } });
    expect(s.items.map((i) => i.kind)).toEqual(['user', 'text']);
    expect(s.items[0]).toMatchObject({ id: 'q1' });
    expect(s.items[1]).toMatchObject({ text: 'again' });
  });

  it('edit replaces the question and everything after it', () => {
    let s = chatReducer(loaded, { type: 'edit', messageId: 'q2', text: 'second, better?' });
    expect(s.items.map((i) => (i.kind === 'user' ? i.text : i.kind))).toEqual(['first?', 'text', 'second, better?']);
    s = run(s, { event: 'user_message', data: { id: 'q3', text: 'second, better?', kind: 'message', created_at: 'x', replaces: 'q2' } });
    expect(s.items.map((i) => (i.kind === 'user' ? i.id : i.kind))).toEqual(['q1', 'text', 'q3']);
  });

  it('a replaced question from another tab is dropped when its replacement arrives', () => {
    const s = run(loaded, { event: 'user_message', data: { id: 'q9', text: 'new', kind: 'message', created_at: 'x', replaces: 'q1' } });
    expect(s.items.map((i) => (i.kind === 'user' ? i.id : i.kind))).toEqual(['q9']);
  });

  it('a stopped answer stays marked after a reload', () => {
    const items = itemsFromMessages([q1, msg({ id: 's', role: 'assistant', type: 'text', text: '', stopped: true })]);
    expect(items.map((i) => i.kind)).toEqual(['user', 'notice']);
    expect(items[1]).toMatchObject({ text: 'Stopped' });
  });
});

describe('answerMarkdown', () => {
  it('writes text, queries with a table, charts and errors as Markdown', () => {
    const md = answerMarkdown([
      { kind: 'text', key: 't', text: 'The **North** leads.' },
      {
        kind: 'query',
        key: 'q',
        data: { sql: 'SELECT region, n FROM t', is_error: false, columns: ['region', 'n'], row_count: 3, result: [{ region: 'North|East', n: 3 }, { region: 'South', n: 1 }] },
      },
      { kind: 'plot', key: 'p', plot: { title: 'By region', vega_lite_spec: {} } },
      { kind: 'query', key: 'q2', data: { sql: 'SELEC', is_error: true, error: 'syntax error', result: [] } },
      { kind: 'notice', key: 'n', text: 'Stopped' },
    ]);
    expect(md).toBe(
      [
        'The **North** leads.',
        '```sql\nSELECT region, n FROM t\n```',
        '| region | n |\n| --- | --- |\n| North\\|East | 3 |\n| South | 1 |\n\n*2 of 3 rows*',
        '*Chart: By region*',
        '```sql\nSELEC\n```',
        '> syntax error',
      ].join('\n\n'),
    );
  });
});
