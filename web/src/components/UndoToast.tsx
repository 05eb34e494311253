import { X } from 'lucide-react';
import { useEffect } from 'react';

/**
 * A deleted analysis can be brought back: the toast offers Undo until the
 * server's window closes, then goes by itself.
 */
export function UndoToast({
  message,
  seconds,
  busy,
  error,
  onUndo,
  onDismiss,
}: {
  message: string;
  seconds: number;
  busy?: boolean;
  error?: string | null;
  onUndo: () => void;
  onDismiss: () => void;
}) {
  useEffect(() => {
    const t = setTimeout(onDismiss, seconds * 1000);
    return () => clearTimeout(t);
  }, [seconds, onDismiss]);
  return (
    <div className={`undo-toast${error ? ' error' : ''}`} role="status" aria-live="polite">
      <span className="undo-text">{error ?? message}</span>
      {!error && (
        <button type="button" className="btn btn-outline btn-xs" onClick={onUndo} disabled={busy}>
          Undo
        </button>
      )}
      <button type="button" className="icon-btn" aria-label="Dismiss" onClick={onDismiss}>
        <X size={15} />
      </button>
    </div>
  );
}
