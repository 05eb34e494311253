import { ArrowUp, Sparkles, Square } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';

export function Composer({
  running,
  connected,
  providerLabel,
  onSend,
  onStop,
  onAutoAnalyze,
}: {
  running: boolean;
  connected: boolean;
  providerLabel: string;
  onSend: (text: string) => boolean;
  onStop: () => void;
  onAutoAnalyze: () => void;
}) {
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 220)}px`;
  }, [text]);

  function submit(e?: FormEvent) {
    e?.preventDefault();
    const t = text.trim();
    if (!t || running || !connected) return;
    if (onSend(t)) setText('');
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  const canSend = !!text.trim() && !running && connected;

  return (
    <form className="composer" onSubmit={submit}>
      <div className="composer-box">
        <label htmlFor="composer-input" className="visually-hidden">
          Ask a question about your data
        </label>
        <textarea
          id="composer-input"
          ref={ref}
          rows={1}
          value={text}
          placeholder="Ask about your data, or write SQL…"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          autoFocus
          spellCheck
        />
        <div className="composer-bar">
          <button
            type="button"
            className="btn btn-soft btn-sm"
            onClick={onAutoAnalyze}
            disabled={running || !connected}
            title="Get a first look at the whole dataset"
          >
            <Sparkles size={14} />
            Auto-analyze
          </button>
          <span className="composer-spacer" />
          {running ? (
            <button type="button" className="send-btn stop" onClick={onStop} aria-label="Stop" title="Stop">
              <Square size={13} fill="currentColor" />
            </button>
          ) : (
            <button type="submit" className="send-btn" disabled={!canSend} aria-label="Send" title="Send (Enter)">
              <ArrowUp size={18} />
            </button>
          )}
        </div>
      </div>
      <p className="composer-hint">
        {providerLabel && (
          <>
            Answers by <strong>{providerLabel}</strong> ·{' '}
          </>
        )}
        Enter to send, Shift+Enter for a new line
      </p>
    </form>
  );
}
