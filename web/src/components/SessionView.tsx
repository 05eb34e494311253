import { Menu, SearchX, Sparkles, WifiOff } from 'lucide-react';
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, notifyUnauthorized, tokenStore } from '../lib/api';
import { chatReducer, initialChat } from '../lib/chat';
import type { TablesState } from '../lib/tables';
import { formatNumber } from '../lib/format';
import { ChatSocket, sessionSocketURL, type SocketState } from '../lib/socket';
import { providerLabel, suggestQuestions } from '../lib/suggest';
import type { FileInfo, Health, SessionDetail, SessionSummary } from '../lib/types';
import { Composer } from './Composer';
import { DatasetCard } from './DatasetCard';
import { ExportMenu } from './ExportMenu';
import { MessageList } from './MessageList';
import { ModelMenu } from './ModelMenu';
import { TablesPanel } from './TablesPanel';
import { linkClick } from './Sidebar';
import { Spinner } from './ui';

export const SIGNED_OUT_MESSAGE = 'You were signed out: your password was changed or your account was removed. Please sign in again.';

export function SessionView({
  sessionId,
  summary,
  health,
  onTitle,
  onMissing,
  onOpenDrawer,
}: {
  sessionId: string;
  summary?: SessionSummary;
  health: Health | null;
  onTitle: (id: string, title: string) => void;
  onMissing: (id: string) => void;
  onOpenDrawer: () => void;
}) {
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [chat, dispatch] = useReducer(chatReducer, initialChat);
  const [conn, setConn] = useState<SocketState>('connecting');
  const [sendError, setSendError] = useState<string | null>(null);
  // Tables and versions (TablesPanel): bumped when a turn changed the data.
  const [dataVersion, setDataVersion] = useState(0);
  const [changedAt, setChangedAt] = useState<string | undefined>(undefined);
  const socketRef = useRef<ChatSocket | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const autoTop = useRef(0);

  // Keeps the newest message in view while the reader is at the bottom.
  // Content grows after a scroll (charts draw late), so a scroll event may
  // arrive with the bottom already further away: only a move up, by the
  // reader, lets go of the bottom.
  const toBottom = useCallback(() => {
    const el = scrollRef.current;
    if (!el || !stick.current) return;
    el.scrollTop = el.scrollHeight;
    autoTop.current = el.scrollTop;
  }, []);

  // Load the session, then open its socket. Everything shown comes from the
  // server's copy first; the socket only adds what happens next.
  useEffect(() => {
    const ctrl = new AbortController();
    let socket: ChatSocket | null = null;
    const reload = () =>
      api.session(sessionId).then((d) => {
        setDetail(d);
        dispatch({ type: 'history', messages: d.messages ?? [] });
      });

    api
      .session(sessionId, ctrl.signal)
      .then((d) => {
        setDetail(d);
        dispatch({ type: 'history', messages: d.messages ?? [] });
        stick.current = true;
        socket = new ChatSocket({
          url: () => sessionSocketURL(sessionId, tokenStore.get() ?? ''),
          onState: setConn,
          onEvent: (ev) => {
            if (ev.event === 'session_update' && ev.data?.title) {
              const title = ev.data.title;
              setDetail((x) => (x ? { ...x, title } : x));
              onTitle(sessionId, title);
            }
            dispatch({ type: 'event', event: ev, at: new Date().toISOString() });
            if (ev.event === 'done' && ev.data?.data_updated) {
              void reload().catch(() => {});
              setDataVersion((n) => n + 1);
            }
          },
          onDrop: () => dispatch({ type: 'disconnected' }),
          // The account was deleted or its password changed: back to sign-in.
          onSignedOut: () => notifyUnauthorized(SIGNED_OUT_MESSAGE),
          onOpen: (reconnected) => {
            setSendError(null);
            // Whatever streamed before the drop is stored: take the stored copy.
            if (reconnected) void reload().catch(() => {});
          },
          shouldReconnect: async () => {
            try {
              await api.session(sessionId);
              return true;
            } catch (err) {
              if (err instanceof ApiError && (err.status === 401 || err.status === 404)) {
                if (err.status === 404) {
                  setLoadError(err);
                  onMissing(sessionId);
                }
                return false;
              }
              return true;
            }
          },
        });
        socketRef.current = socket;
        socket.connect();
      })
      .catch((err) => {
        if ((err as Error).name === 'AbortError') return;
        if (err instanceof ApiError && err.status === 404) onMissing(sessionId);
        setLoadError(err instanceof ApiError ? err : new ApiError(0, 'The analysis could not be loaded.'));
      });

    return () => {
      ctrl.abort();
      socket?.close();
      socketRef.current = null;
    };
  }, [sessionId, onTitle, onMissing]);

  // The list's title first: a rename in the sidebar shows here at once.
  const title = summary?.title || detail?.title || detail?.file?.filename || 'Analysis';
  useEffect(() => {
    document.title = `${title} · Analyzer`;
  }, [title]);

  useLayoutEffect(toBottom, [chat.items, chat.status, detail, toBottom]);

  const hasDetail = !!detail;
  useEffect(() => {
    const content = contentRef.current;
    if (!content || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(toBottom);
    ro.observe(content);
    return () => ro.disconnect();
  }, [hasDetail, toBottom]);

  const send = useCallback(
    (text: string) => {
      const ok = socketRef.current?.send({ type: 'message', text }) ?? false;
      if (!ok) {
        setSendError('Not connected to the server. Reconnecting…');
        return false;
      }
      setSendError(null);
      stick.current = true;
      dispatch({ type: 'send', text });
      return true;
    },
    [],
  );

  const autoAnalyze = useCallback(() => {
    const ok = socketRef.current?.send({ type: 'auto_analyze' }) ?? false;
    if (!ok) {
      setSendError('Not connected to the server. Reconnecting…');
      return;
    }
    stick.current = true;
    dispatch({ type: 'auto_analyze' });
  }, []);

  const retry = useCallback((messageId: string) => {
    const ok = socketRef.current?.send({ type: 'retry', message_id: messageId }) ?? false;
    if (!ok) {
      setSendError('Not connected to the server. Reconnecting…');
      return;
    }
    setSendError(null);
    dispatch({ type: 'retry', messageId });
  }, []);

  const edit = useCallback((messageId: string, text: string) => {
    const ok = socketRef.current?.send({ type: 'edit', message_id: messageId, text }) ?? false;
    if (!ok) {
      setSendError('Not connected to the server. Reconnecting…');
      return false;
    }
    setSendError(null);
    stick.current = true;
    dispatch({ type: 'edit', messageId, text });
    return true;
  }, []);

  // After an undo, a redo or a file added in the tables panel: the
  // preview and counts come from the server again.
  const reloadData = useCallback(() => {
    void api
      .session(sessionId)
      .then((d) => setDetail((x) => (x ? { ...x, file: d.file } : d)))
      .catch(() => {});
  }, [sessionId]);
  const [primaryVersion, setPrimaryVersion] = useState<string | undefined>(undefined);
  const onTablesState = useCallback((s: TablesState) => {
    setChangedAt(s.changed_at);
    setPrimaryVersion(s.tables.find((t) => t.primary)?.current_version_id);
  }, []);

  const stop = useCallback(() => {
    socketRef.current?.send({ type: 'stop' });
    dispatch({ type: 'stop_requested' });
  }, []);

  if (loadError) {
    const missing = loadError.status === 404;
    return (
      <div className="session">
        <TopBar title={missing ? 'Not found' : 'Analysis'} onOpenDrawer={onOpenDrawer} />
        <div className="empty-state">
          <SearchX size={32} strokeWidth={1.5} aria-hidden="true" />
          <h2>{missing ? 'This analysis does not exist anymore' : 'This analysis could not be loaded'}</h2>
          <p className="muted">{missing ? 'It may have been deleted.' : loadError.message}</p>
          <a href="/" className="btn btn-primary" onClick={linkClick('/')}>
            Start a new analysis
          </a>
        </div>
      </div>
    );
  }

  if (!detail) {
    return (
      <div className="session">
        <TopBar title={summary?.title ?? ''} onOpenDrawer={onOpenDrawer} />
        <div className="loading-state" role="status">
          <Spinner size={20} />
          <span>Opening analysis…</span>
        </div>
      </div>
    );
  }

  const connected = conn === 'open';
  const provider = providerLabel(health?.provider);
  const file: FileInfo = detail.file ?? { filename: title, row_count: 0, column_count: 0, columns: [], preview: [] };
  const empty = chat.items.length === 0 && !chat.running;

  return (
    <div className="session">
      <TopBar
        title={title}
        subtitle={`${title === file.filename ? '' : `${file.filename} · `}${formatNumber(file.row_count)} rows × ${formatNumber(file.column_count)} columns`}
        onOpenDrawer={onOpenDrawer}
        provider={provider}
        actions={<ExportMenu sessionId={sessionId} filename={file.filename} />}
        menu={<ModelMenu sessionId={sessionId} fallback={provider} running={chat.running} />}
      />
      <div
        className="thread-scroll"
        ref={scrollRef}
        onScroll={(e) => {
          const el = e.currentTarget;
          if (el.scrollHeight - el.scrollTop - el.clientHeight < 80) stick.current = true;
          else if (el.scrollTop < autoTop.current - 4) stick.current = false;
          autoTop.current = Math.min(autoTop.current, el.scrollTop);
        }}
      >
        <div className="thread" ref={contentRef}>
          <DatasetCard
            key={`${file.row_count}-${file.column_count}-${dataVersion}`}
            file={file}
            sessionId={sessionId}
            dataKey={primaryVersion}
            onAsk={connected && !chat.running ? (q) => void send(q) : undefined}
          />
          <TablesPanel sessionId={sessionId} refreshKey={dataVersion} onChanged={reloadData} onState={onTablesState} />
          {empty ? (
            <Suggestions
              questions={suggestQuestions(file)}
              disabled={!connected}
              onPick={(q) => send(q)}
              onAutoAnalyze={autoAnalyze}
            />
          ) : (
            <MessageList
              items={chat.items}
              running={chat.running}
              status={chat.status}
              sessionId={sessionId}
              onRetry={retry}
              onEdit={edit}
              onRunSQL={send}
              connected={connected}
              datasetColumns={file.columns}
              onAsk={(q) => send(q)}
              onAutoAnalyze={autoAnalyze}
              staleBefore={changedAt}
            />
          )}
        </div>
      </div>
      <div className="composer-wrap">
        {(sendError || conn === 'reconnecting') && (
          <p className="conn-banner" role="status">
            <WifiOff size={14} aria-hidden="true" />
            {sendError ?? 'Connection lost. Reconnecting…'}
          </p>
        )}
        <Composer
          running={chat.running}
          connected={connected}
          providerLabel={provider}
          onSend={send}
          onStop={stop}
          onAutoAnalyze={autoAnalyze}
        />
      </div>
    </div>
  );
}

function TopBar({
  title,
  subtitle,
  onOpenDrawer,
  provider,
  actions,
  menu,
}: {
  title: string;
  subtitle?: string;
  onOpenDrawer: () => void;
  provider?: string;
  actions?: ReactNode;
  /** The model menu, in place of the plain badge. */
  menu?: ReactNode;
}) {
  return (
    <header className="topbar">
      <button type="button" className="icon-btn menu-btn" onClick={onOpenDrawer} aria-label="Open menu">
        <Menu size={20} />
      </button>
      <div className="topbar-title">
        <h1 title={title}>{title}</h1>
        {subtitle && <span className="muted">{subtitle}</span>}
      </div>
      {menu ?? (provider && (
        <span className="provider-badge" title="The analyst answering your questions">
          <Sparkles size={13} aria-hidden="true" />
          {provider}
        </span>
      ))}
      {actions}
    </header>
  );
}

function Suggestions({
  questions,
  disabled,
  onPick,
  onAutoAnalyze,
}: {
  questions: string[];
  disabled: boolean;
  onPick: (q: string) => void;
  onAutoAnalyze: () => void;
}) {
  return (
    <div className="suggestions">
      <button type="button" className="auto-card" onClick={onAutoAnalyze} disabled={disabled}>
        <span className="auto-icon" aria-hidden="true">
          <Sparkles size={18} />
        </span>
        <span>
          <strong>Auto-analyze</strong>
          <span className="muted">A first look: data quality, key facts and the charts that fit.</span>
        </span>
      </button>
      <p className="suggestions-label">Or try</p>
      <div className="suggestion-chips">
        {questions.map((q) => (
          <button key={q} type="button" className={`chip-btn${/^select\b/i.test(q) ? ' mono' : ''}`} onClick={() => onPick(q)} disabled={disabled}>
            {q}
          </button>
        ))}
      </div>
    </div>
  );
}

