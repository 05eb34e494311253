import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message, SessionDetail } from '../lib/types';
import { onUnauthorized } from '../lib/api';
import { SessionView, SIGNED_OUT_MESSAGE } from './SessionView';

class FakeWS {
  static all: FakeWS[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onclose: ((ev?: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  constructor(public url: string) {
    FakeWS.all.push(this);
  }
  send(d: string) {
    this.sent.push(JSON.parse(d));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  emit(event: string, data: unknown) {
    this.onmessage?.({ data: JSON.stringify({ event, data }) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
  closeBy(code: number, reason: string) {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

const file = {
  filename: 'sales.csv',
  row_count: 3,
  column_count: 2,
  columns: ['region', 'price'],
  column_types: ['VARCHAR', 'DOUBLE'],
  preview: [
    { region: 'North', price: 1.5 },
    { region: 'South', price: 2 },
    { region: 'North', price: 3 },
  ],
};

let messages: Message[];
function detail(): SessionDetail {
  return { id: 's1', title: 'sales.csv', created_at: '2026-01-01T00:00:00Z', file, messages };
}

beforeEach(() => {
  FakeWS.all = [];
  messages = [{ id: 'm1', role: 'user', type: 'text', text: 'How many rows?' }, { id: 'm2', role: 'assistant', type: 'text', text: 'There are **3** rows.' }];
  localStorage.setItem('analyzer.token', 'jwt');
  vi.stubGlobal('WebSocket', FakeWS);
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      if (url === '/api/sessions/s1') return new Response(JSON.stringify(detail()), { status: 200 });
      return new Response('{"detail":"not found"}', { status: 404 });
    }),
  );
});
afterEach(() => {
  onUnauthorized(null);
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function mount() {
  const onTitle = vi.fn();
  render(<SessionView sessionId="s1" health={{ status: 'ok', provider: { name: 'builtin' } }} onTitle={onTitle} onMissing={vi.fn()} onOpenDrawer={vi.fn()} />);
  return { onTitle };
}

describe('SessionView', () => {
  it('restores the history, streams a turn, follows the title and stops', async () => {
    const { onTitle } = mount();
    await screen.findByText('How many rows?');
    expect(screen.getByText('3', { selector: 'strong' })).toBeTruthy();
    expect(screen.getAllByText('Built-in analyst').length).toBeGreaterThan(0);
    const ws = FakeWS.all[0];
    expect(ws.url).toMatch(/\/api\/sessions\/s1\/ws\?token=jwt$/);
    act(() => ws.open());

    const box = screen.getByLabelText('Ask a question about your data');
    fireEvent.change(box, { target: { value: 'average price by region' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(ws.sent).toEqual([{ type: 'message', text: 'average price by region' }]);
    expect(screen.getByRole('button', { name: 'Stop' })).toBeTruthy();

    act(() => {
      ws.emit('status', { message: 'Running query…' });
      ws.emit('text', { text: 'North ' });
      ws.emit('text', { text: 'leads.' });
      ws.emit('session_update', { title: 'Prices by region' });
    });
    expect(screen.getByText('Running query…')).toBeTruthy();
    expect(screen.getByText('North leads.')).toBeTruthy();
    expect(onTitle).toHaveBeenCalledWith('s1', 'Prices by region');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Prices by region');

    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(ws.sent.at(-1)).toEqual({ type: 'stop' });
    act(() => ws.emit('done', { stopped: true }));
    expect(screen.getByText('Stopped')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
  });

  it('reconnects after a drop and shows the stored messages once', async () => {
    mount();
    await screen.findByText('How many rows?');
    act(() => FakeWS.all[0].open());
    const box = screen.getByLabelText('Ask a question about your data');
    fireEvent.change(box, { target: { value: 'SELECT 1' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    act(() => FakeWS.all[0].emit('text', { text: 'partial answer' }));

    // The server stored the turn; the socket drops before `done`.
    messages = [
      ...messages,
      { id: 'm3', role: 'user', type: 'text', text: 'SELECT 1' },
      { id: 'm4', role: 'assistant', type: 'text', text: 'partial answer', stopped: true },
    ];
    act(() => FakeWS.all[0].drop());
    expect(screen.getByText('Connection lost. Reconnecting…', { selector: '.conn-banner' })).toBeTruthy();

    await waitFor(() => expect(FakeWS.all).toHaveLength(2), { timeout: 3000 });
    act(() => FakeWS.all[1].open());
    await waitFor(() => expect(screen.queryByText('Connection lost. Reconnecting…', { selector: '.conn-banner' })).toBeNull());
    await waitFor(() => expect(screen.getAllByText('partial answer')).toHaveLength(1));
    expect(screen.getAllByText('SELECT 1')).toHaveLength(1);
    expect(screen.getAllByText('How many rows?')).toHaveLength(1);
  });

  it('signs out without reconnecting when the server closes the socket with 4001', async () => {
    const signedOut = vi.fn();
    onUnauthorized(signedOut);
    mount();
    await screen.findByText('How many rows?');
    act(() => FakeWS.all[0].open());
    act(() => FakeWS.all[0].closeBy(4001, 'signed out'));
    expect(signedOut).toHaveBeenCalledWith(SIGNED_OUT_MESSAGE);
    expect(screen.queryByText('Connection lost. Reconnecting…')).toBeNull();
    await new Promise((r) => setTimeout(r, 1200));
    expect(FakeWS.all).toHaveLength(1);
  });

  it('lets a stored result load the rest of its rows', async () => {
    messages = [
      { id: 'm1', role: 'user', type: 'text', text: 'SELECT * FROM data' },
      {
        id: 'm2',
        role: 'assistant',
        type: 'query_result',
        data: { result: [{ region: 'North' }], is_error: false, columns: ['region'], row_count: 3, row_offset: 0, stored_row_count: 3, has_more: true },
      },
    ];
    const base = fetch as unknown as (url: string) => Promise<Response>;
    const fetchMock = vi.fn(async (url: string) => {
      if (url.startsWith('/api/sessions/s1/messages/m2/rows?'))
        return new Response(JSON.stringify({ rows: [{ region: 'South' }, { region: 'East' }], row_offset: 1, stored_row_count: 3, has_more: false }));
      return base(url);
    });
    vi.stubGlobal('fetch', fetchMock);
    mount();
    fireEvent.click(await screen.findByRole('button', { name: 'Load more rows' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Load more rows' })).toBeNull());
    expect(fetchMock.mock.calls.some(([u]) => u === '/api/sessions/s1/messages/m2/rows?offset=1&limit=500')).toBe(true);
    expect(screen.getByText('3 rows', { selector: '.result-foot span' })).toBeTruthy();
  });
});
