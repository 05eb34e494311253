import { ChartColumn, CloudUpload, FileSpreadsheet, Menu, MessageSquareText, Table2, X } from 'lucide-react';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { ApiError, uploadFile, type UploadProgress } from '../lib/api';
import { formatBytes } from '../lib/format';
import { ACCEPT_ATTRIBUTE, checkUpload, DEFAULT_MAX_UPLOAD } from '../lib/upload';
import type { Health, UploadResponse } from '../lib/types';
import { SampleDatasets } from './SampleDatasets';
import { Spinner } from './ui';

type State =
  | { phase: 'idle' }
  | { phase: 'uploading'; file: File; progress: UploadProgress }
  | { phase: 'error'; message: string; file?: File };

export function UploadView({
  health,
  hasSessions,
  onUploaded,
  onOpenDrawer,
}: {
  health: Health | null;
  hasSessions: boolean;
  onUploaded: (res: UploadResponse) => void;
  onOpenDrawer: () => void;
}) {
  const maxBytes = health?.max_upload_size && health.max_upload_size > 0 ? health.max_upload_size : DEFAULT_MAX_UPLOAD;
  const [state, setState] = useState<State>({ phase: 'idle' });
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);

  useEffect(() => {
    document.title = 'New analysis · Analyzer';
    return () => abortRef.current?.abort();
  }, []);

  async function start(file: File) {
    const problem = checkUpload(file, maxBytes);
    if (problem) {
      setState({ phase: 'error', message: problem, file });
      return;
    }
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    setState({ phase: 'uploading', file, progress: { loaded: 0, total: file.size, processing: false } });
    try {
      const res = await uploadFile(file, (progress) => setState({ phase: 'uploading', file, progress }), ctrl.signal);
      onUploaded(res);
    } catch (err) {
      if ((err as Error).name === 'AbortError') {
        setState({ phase: 'idle' });
        return;
      }
      if (err instanceof ApiError && err.status === 401) return; // back to sign-in
      setState({ phase: 'error', message: uploadMessage(err, file, maxBytes), file });
    } finally {
      if (abortRef.current === ctrl) abortRef.current = null;
    }
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    depth.current = 0;
    setDragging(false);
    if (state.phase === 'uploading') return;
    const files = e.dataTransfer.files;
    if (files.length > 1) {
      setState({ phase: 'error', message: 'Drop one file at a time.' });
      return;
    }
    if (files[0]) void start(files[0]);
  }

  const busy = state.phase === 'uploading';

  return (
    <div
      className={`upload-view${dragging ? ' dragging' : ''}`}
      onDragEnter={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        depth.current++;
        setDragging(true);
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header className="topbar topbar-plain">
        <button type="button" className="icon-btn menu-btn" onClick={onOpenDrawer} aria-label="Open menu">
          <Menu size={20} />
        </button>
      </header>
      <div className="upload-center">
        <h1 className="upload-title">{hasSessions ? 'Start a new analysis' : 'What would you like to analyze?'}</h1>
        <p className="upload-lead">Drop a CSV or Parquet file. You will see it right away, then ask questions in plain words or SQL.</p>

        {state.phase === 'uploading' ? (
          <UploadProgressCard
            file={state.file}
            progress={state.progress}
            onCancel={() => abortRef.current?.abort()}
          />
        ) : (
          <div className="dropzone">
            <CloudUpload size={36} strokeWidth={1.5} className="dropzone-icon" aria-hidden="true" />
            <p className="dropzone-main">
              {dragging ? 'Drop to upload' : 'Drag and drop your file here'}
            </p>
            <p className="dropzone-or">or</p>
            <button type="button" className="btn btn-primary" onClick={() => inputRef.current?.click()}>
              Choose a file
            </button>
            <p className="dropzone-hint">CSV, Parquet · up to {formatBytes(maxBytes)}</p>
            <input
              ref={inputRef}
              type="file"
              accept={ACCEPT_ATTRIBUTE}
              className="visually-hidden"
              tabIndex={-1}
              aria-label="Choose a CSV or Parquet file"
              data-testid="file-input"
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f) void start(f);
              }}
            />
          </div>
        )}

        {state.phase === 'error' && (
          <div className="upload-error" role="alert">
            <strong>{state.file ? `Couldn't upload ${state.file.name}` : "Couldn't upload"}</strong>
            <span>{state.message}</span>
            <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => setState({ phase: 'idle' })}>
              <X size={16} />
            </button>
          </div>
        )}

        {state.phase !== 'uploading' && (
          <ul className="upload-points">
            <li>
              <Table2 size={16} aria-hidden="true" />
              <span>
                <strong>See it at once</strong> Rows, column types and a profile of every column.
              </span>
            </li>
            <li>
              <MessageSquareText size={16} aria-hidden="true" />
              <span>
                <strong>Ask in plain words</strong> Or write SQL against the table <code>data</code>.
              </span>
            </li>
            <li>
              <ChartColumn size={16} aria-hidden="true" />
              <span>
                <strong>Get charts</strong> Drawn from your data, ready to save as PNG or SVG.
              </span>
            </li>
          </ul>
        )}
        {state.phase !== 'uploading' && <SampleDatasets onLoaded={onUploaded} />}
      </div>
      {dragging && <div className="drop-overlay" aria-hidden="true" />}
    </div>
  );
}

function UploadProgressCard({ file, progress, onCancel }: { file: File; progress: UploadProgress; onCancel: () => void }) {
  // The request carries a little multipart framing on top of the file: report the file's bytes.
  const ratio = progress.total > 0 ? Math.min(1, progress.loaded / progress.total) : 0;
  const sent = progress.processing ? file.size : Math.round(ratio * file.size);
  const percent = progress.processing ? 100 : Math.floor(ratio * 100);
  return (
    <div className="progress-card" aria-live="polite">
      <div className="progress-head">
        <FileSpreadsheet size={22} aria-hidden="true" />
        <div className="progress-name">
          <strong>{file.name}</strong>
          <span className="muted">
            {progress.processing ? (
              <>
                <Spinner size={12} /> Processing… reading rows and detecting column types
              </>
            ) : (
              `${formatBytes(sent)} of ${formatBytes(file.size)} · ${percent}%`
            )}
          </span>
        </div>
        {!progress.processing && (
          <button type="button" className="btn btn-ghost btn-sm" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <div
        className={`progress${progress.processing ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-label={progress.processing ? 'Processing' : 'Uploading'}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress.processing ? undefined : percent}
      >
        <div className="progress-fill" style={{ width: `${progress.processing ? 100 : percent}%` }} />
      </div>
    </div>
  );
}

function uploadMessage(err: unknown, file: File, maxBytes: number): string {
  if (err instanceof ApiError) {
    if (err.status === 413) return `The file is ${formatBytes(file.size)}, more than the server's limit of ${formatBytes(maxBytes)}.`;
    if (err.status === 400) return sentence(err.message);
    return err.message;
  }
  return 'The upload failed. Please try again.';
}

/** "the file is bad" → "The file is bad." */
function sentence(text: string): string {
  const t = text.trim().replace(/^./, (c) => c.toUpperCase());
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}
