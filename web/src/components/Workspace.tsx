import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../lib/api';
import { navigate, sessionIdFromPath, sessionPath, usePath } from '../lib/hooks';
import type { Health, SessionSummary, UploadResponse } from '../lib/types';
import { SessionView } from './SessionView';
import { Sidebar } from './Sidebar';
import { ConfirmDialog } from './ui';
import { UploadView } from './UploadView';

export function Workspace({ health, email, onSignOut }: { health: Health | null; email: string | null; onSignOut: () => void }) {
  const path = usePath();
  const sessionId = sessionIdFromPath(path);
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [pendingDelete, setPendingDelete] = useState<SessionSummary | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setSessions(await api.sessions());
      setListError(null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return;
      setListError((err as Error).message);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Unknown paths go to the start page.
  useEffect(() => {
    if (path !== '/' && !sessionId) navigate('/', { replace: true });
  }, [path, sessionId]);

  // Close the phone drawer when the page changes, or on Escape.
  useEffect(() => setDrawerOpen(false), [path]);
  useEffect(() => {
    if (!drawerOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setDrawerOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [drawerOpen]);

  const onTitle = useCallback((id: string, title: string) => {
    setSessions((list) => list?.map((s) => (s.id === id ? { ...s, title } : s)) ?? list);
  }, []);

  const onUploaded = useCallback(
    (res: UploadResponse) => {
      const summary: SessionSummary = {
        id: res.session_id,
        title: res.file.filename,
        created_at: new Date().toISOString(),
        filename: res.file.filename,
        row_count: res.file.row_count,
        column_count: res.file.column_count,
      };
      setSessions((list) => [summary, ...(list ?? []).filter((s) => s.id !== summary.id)]);
      navigate(sessionPath(res.session_id));
      void refresh();
    },
    [refresh],
  );

  const onMissing = useCallback(
    (id: string) => {
      setSessions((list) => list?.filter((s) => s.id !== id) ?? list);
    },
    [],
  );

  async function confirmDelete() {
    if (!pendingDelete) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await api.deleteSession(pendingDelete.id);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) {
        setDeleteError((err as Error).message);
        setDeleting(false);
        return;
      }
    }
    const id = pendingDelete.id;
    setSessions((list) => list?.filter((s) => s.id !== id) ?? list);
    setPendingDelete(null);
    setDeleting(false);
    if (id === sessionId) navigate('/', { replace: true });
  }

  const current = sessions?.find((s) => s.id === sessionId);

  return (
    <div className={`app${drawerOpen ? ' drawer-open' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar
        sessions={sessions}
        error={listError}
        activeId={sessionId}
        email={email}
        version={health?.version}
        onDelete={(s) => {
          setDeleteError(null);
          setPendingDelete(s);
        }}
        onSignOut={onSignOut}
        onClose={() => setDrawerOpen(false)}
        onRetry={refresh}
      />
      <div className="scrim" onClick={() => setDrawerOpen(false)} aria-hidden="true" />
      <main id="main" className="main" tabIndex={-1}>
        {sessionId ? (
          <SessionView
            key={sessionId}
            sessionId={sessionId}
            summary={current}
            health={health}
            onTitle={onTitle}
            onMissing={onMissing}
            onOpenDrawer={() => setDrawerOpen(true)}
          />
        ) : (
          <UploadView
            health={health}
            hasSessions={!!sessions?.length}
            onUploaded={onUploaded}
            onOpenDrawer={() => setDrawerOpen(true)}
          />
        )}
      </main>
      <ConfirmDialog
        open={!!pendingDelete}
        title="Delete this analysis?"
        confirmLabel="Delete"
        busy={deleting}
        error={deleteError}
        onConfirm={confirmDelete}
        onCancel={() => setPendingDelete(null)}
      >
        <p>
          <strong>{pendingDelete?.title || pendingDelete?.filename}</strong> will be removed with its conversation and the
          uploaded file. This cannot be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}
