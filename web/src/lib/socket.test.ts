// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, ChatSocket, sessionSocketURL, type SocketState } from './socket';

class FakeWS {
  static instances: FakeWS[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onclose: ((ev?: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  constructor(public url: string) {
    FakeWS.instances.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  // test helpers
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
  closeBy(code: number, reason: string) {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  receive(data: string) {
    this.onmessage?.({ data });
  }
}

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with jitter in [ceiling/2, ceiling]', () => {
    expect(backoffDelay(0, 500, 15000, () => 1)).toBe(500);
    expect(backoffDelay(0, 500, 15000, () => 0)).toBe(250);
    expect(backoffDelay(3, 500, 15000, () => 1)).toBe(4000);
    expect(backoffDelay(10, 500, 15000, () => 1)).toBe(15000);
    expect(backoffDelay(100, 500, 15000, () => 0)).toBe(7500);
  });
});

describe('ChatSocket', () => {
  beforeEach(() => {
    FakeWS.instances = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  function make(extra: Partial<ConstructorParameters<typeof ChatSocket>[0]> = {}) {
    const events: unknown[] = [];
    const states: SocketState[] = [];
    const opens: boolean[] = [];
    let drops = 0;
    const sock = new ChatSocket({
      url: () => 'ws://x/api/sessions/s/ws?token=t',
      onEvent: (e) => events.push(e),
      onState: (s) => states.push(s),
      onOpen: (r) => opens.push(r),
      onDrop: () => drops++,
      WebSocketImpl: FakeWS as unknown as typeof WebSocket,
      base: 100,
      max: 1000,
      ...extra,
    });
    return { sock, events, states, opens, drops: () => drops };
  }

  it('delivers parsed events and sends JSON only while open', () => {
    const { sock, events } = make();
    sock.connect();
    expect(sock.send({ type: 'stop' })).toBe(false);
    FakeWS.instances[0].open();
    expect(sock.send({ type: 'message', text: 'hi' })).toBe(true);
    expect(FakeWS.instances[0].sent).toEqual(['{"type":"message","text":"hi"}']);
    FakeWS.instances[0].receive('{"event":"status","data":{"message":"Running query…"}}');
    FakeWS.instances[0].receive('garbage');
    expect(events).toEqual([{ event: 'status', data: { message: 'Running query…' } }]);
  });

  it('reconnects with backoff after a drop and reports the reconnection', async () => {
    const { sock, states, opens, drops } = make();
    sock.connect();
    FakeWS.instances[0].open();
    FakeWS.instances[0].drop();
    expect(drops()).toBe(1);
    expect(states.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(49);
    expect(FakeWS.instances).toHaveLength(1);
    // A failed attempt waits longer before the next.
    await vi.advanceTimersByTimeAsync(60);
    expect(FakeWS.instances).toHaveLength(2);
    FakeWS.instances[1].drop();
    await vi.advanceTimersByTimeAsync(99);
    expect(FakeWS.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(120);
    expect(FakeWS.instances).toHaveLength(3);
    FakeWS.instances[2].open();
    expect(opens).toEqual([false, true]);
    expect(states.at(-1)).toBe('open');
    sock.close();
  });

  it('stops when shouldReconnect says no (token refused, session gone)', async () => {
    const shouldReconnect = vi.fn().mockResolvedValue(false);
    const { sock, states } = make({ shouldReconnect });
    sock.connect();
    FakeWS.instances[0].drop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(shouldReconnect).toHaveBeenCalledTimes(1);
    expect(FakeWS.instances).toHaveLength(1);
    expect(states.at(-1)).toBe('closed');
    expect(sock.current).toBe('closed');
  });

  it('does not reconnect when the server signs the account out (4001), and says so', async () => {
    const onSignedOut = vi.fn();
    const shouldReconnect = vi.fn().mockResolvedValue(true);
    const { sock, states, drops } = make({ onSignedOut, shouldReconnect });
    sock.connect();
    FakeWS.instances[0].open();
    FakeWS.instances[0].closeBy(4001, 'signed out');
    expect(onSignedOut).toHaveBeenCalledTimes(1);
    expect(onSignedOut).toHaveBeenCalledWith('signed out');
    expect(drops()).toBe(0);
    expect(sock.current).toBe('closed');
    expect(states.at(-1)).toBe('closed');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(shouldReconnect).not.toHaveBeenCalled();
    expect(FakeWS.instances).toHaveLength(1);
  });

  it('still reconnects after other close codes', async () => {
    const onSignedOut = vi.fn();
    const { sock } = make({ onSignedOut });
    sock.connect();
    FakeWS.instances[0].open();
    FakeWS.instances[0].closeBy(1011, 'internal error');
    await vi.advanceTimersByTimeAsync(200);
    expect(FakeWS.instances).toHaveLength(2);
    expect(onSignedOut).not.toHaveBeenCalled();
    sock.close();
  });

  it('does not reconnect after close()', async () => {
    const { sock } = make();
    sock.connect();
    FakeWS.instances[0].open();
    sock.close();
    FakeWS.instances[0].drop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(FakeWS.instances).toHaveLength(1);
  });

  it('ignores events from a socket it replaced', async () => {
    const { sock, events } = make();
    sock.connect();
    const first = FakeWS.instances[0];
    first.open();
    first.drop();
    await vi.advanceTimersByTimeAsync(200);
    FakeWS.instances[1].open();
    first.receive('{"event":"text","data":{"text":"late"}}');
    expect(events).toEqual([]);
    sock.close();
  });
});

describe('sessionSocketURL', () => {
  it('uses ws or wss after the page and escapes the token', () => {
    expect(sessionSocketURL('abc', 't+/=', { protocol: 'http:', host: 'localhost:8001' } as Location)).toBe(
      'ws://localhost:8001/api/sessions/abc/ws?token=t%2B%2F%3D',
    );
    expect(sessionSocketURL('abc', 't', { protocol: 'https:', host: 'a.example' } as Location)).toBe(
      'wss://a.example/api/sessions/abc/ws?token=t',
    );
  });
});
