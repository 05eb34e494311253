import { parseServerEvent } from './chat';
import type { ClientMessage, ServerEvent } from './types';

export type SocketState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Delay before reconnect attempt n (0-based): exponential from base to max, with jitter. */
export function backoffDelay(attempt: number, base = 500, max = 15_000, random: () => number = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Close code the server uses when the account's token stops being valid. */
export const SIGNED_OUT_CODE = 4001;

export interface ChatSocketOptions {
  url: () => string;
  onEvent: (event: ServerEvent) => void;
  onState?: (state: SocketState) => void;
  /** Called on every open; reconnected is true after the first. */
  onOpen?: (reconnected: boolean) => void;
  /** Called when the connection drops unexpectedly. */
  onDrop?: () => void;
  /**
   * Asked before each reconnect attempt; resolving false gives up (the
   * token was refused, the session is gone).
   */
  shouldReconnect?: () => Promise<boolean>;
  /**
   * Called when the server closes with SIGNED_OUT_CODE (the account was
   * deleted or its password changed): the socket does not reconnect.
   */
  onSignedOut?: (reason: string) => void;
  WebSocketImpl?: typeof WebSocket;
  base?: number;
  max?: number;
}

/** A WebSocket to one session that reconnects with backoff until closed. */
export class ChatSocket {
  private ws: WebSocket | null = null;
  private attempts = 0;
  private opened = false;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private state: SocketState = 'closed';
  private readonly opts: ChatSocketOptions;
  private readonly onOnline = () => {
    if (this.state === 'reconnecting' && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      void this.retry();
    }
  };

  constructor(opts: ChatSocketOptions) {
    this.opts = opts;
  }

  connect() {
    this.closed = false;
    if (typeof window !== 'undefined') window.addEventListener('online', this.onOnline);
    this.open();
  }

  get current(): SocketState {
    return this.state;
  }

  private setState(s: SocketState) {
    if (this.state === s) return;
    this.state = s;
    this.opts.onState?.(s);
  }

  private open() {
    if (this.closed) return;
    this.setState(this.opened ? 'reconnecting' : 'connecting');
    const Impl = this.opts.WebSocketImpl ?? WebSocket;
    const ws = new Impl(this.opts.url());
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      const reconnected = this.opened;
      this.opened = true;
      this.attempts = 0;
      this.setState('open');
      this.opts.onOpen?.(reconnected);
    };
    ws.onmessage = (msg) => {
      if (this.ws !== ws) return;
      const ev = parseServerEvent(msg.data);
      if (ev) this.opts.onEvent(ev);
    };
    ws.onclose = (ev?: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.closed) return;
      if (ev?.code === SIGNED_OUT_CODE) {
        // The token is no good anymore: retrying would only be refused.
        this.close();
        this.opts.onSignedOut?.(ev.reason || 'signed out');
        return;
      }
      this.opts.onDrop?.();
      this.schedule();
    };
    ws.onerror = () => {
      /* onclose follows and schedules the retry */
    };
  }

  private schedule() {
    if (this.closed) return;
    this.setState('reconnecting');
    const delay = backoffDelay(this.attempts++, this.opts.base, this.opts.max);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.retry();
    }, delay);
  }

  private async retry() {
    if (this.closed) return;
    if (this.opts.shouldReconnect) {
      let ok = true;
      try {
        ok = await this.opts.shouldReconnect();
      } catch {
        ok = true; // the server is unreachable: keep trying
      }
      if (this.closed) return;
      if (!ok) {
        this.close();
        return;
      }
    }
    this.open();
  }

  /** Sends a message; false when the socket is not open. */
  send(msg: ClientMessage): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return false;
    ws.send(JSON.stringify(msg));
    return true;
  }

  close() {
    this.closed = true;
    if (typeof window !== 'undefined') window.removeEventListener('online', this.onOnline);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState <= 1) ws.close(1000);
    this.setState('closed');
  }
}

export function sessionSocketURL(sessionId: string, token: string, loc: Location = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api/sessions/${encodeURIComponent(sessionId)}/ws?token=${encodeURIComponent(token)}`;
}
