import { LoaderCircle } from 'lucide-react';
import { useEffect, useRef, type ReactNode } from 'react';

export function Spinner({ size = 16, label }: { size?: number; label?: string }) {
  return <LoaderCircle className="spin" size={size} aria-label={label} aria-hidden={label ? undefined : true} />;
}

export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" className="logo">
      <rect width="32" height="32" rx="9" fill="var(--accent)" />
      <rect x="8" y="17" width="4" height="7" rx="1.5" fill="#fff" />
      <rect x="14" y="12" width="4" height="12" rx="1.5" fill="#fff" opacity=".85" />
      <rect x="20" y="8" width="4" height="16" rx="1.5" fill="#fff" opacity=".7" />
    </svg>
  );
}

/** A modal confirmation built on <dialog>: focus is trapped, Escape cancels. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        if (!props.busy) props.onCancel();
      }}
      onClick={(e) => {
        if (e.target === ref.current && !props.busy) props.onCancel();
      }}
    >
      <div className="dialog-body">
        <h2 id="dialog-title">{props.title}</h2>
        <div className="dialog-text">{props.children}</div>
        {props.error && (
          <p className="form-error" role="alert">
            {props.error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={props.onCancel} disabled={props.busy} autoFocus>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" onClick={props.onConfirm} disabled={props.busy}>
            {props.busy && <Spinner size={14} />}
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </dialog>
  );
}
