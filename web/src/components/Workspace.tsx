import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, UNDO_SECONDS } from '../lib/api';
import { navigate, sessionIdFromPath, sessionPath, usePath } from '../lib/hooks';
import type { Health, SessionSummary, UploadResponse } from '../lib/types';
import { SessionView } from './SessionView';
import { Sidebar } from './Sidebar';
import { ProviderBanner } from './ProviderBanner';
import { SettingsPanel } from './SettingsPanel';
import { UndoToast } from './UndoToast';
import { UploadView } from './UploadView';

export function Workspace({ health, email, onSignOut }: { health: Health | null; email: string | null; onSignOut: () => void }) {
  const path = usePath();
  const sessionId = sessionIdFromPath(path);
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [search, setSearch] = useState('');
  // The last deletion, undoable for UNDO_SECONDS.
  const [deleted, setDeleted] = useState<{ session: SessionSummary; wasOpen: boolean } | null>(null);
  const [undoBusy, setUndoBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setSessions(await api.sessions(undefined, search));
      setListError(null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return;
      setListError((err as Error).message);
    }
  }, [search]);

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
        size_bytes: res.file.size_bytes,
        format: res.file.format,
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

  // Deleting needs no confirmation: the session leaves the list at once and
  // the toast offers Undo while the server keeps it.
  async function deleteSession(target: SessionSummary) {
    setDeleteError(null);
    try {
      await api.deleteSession(target.id);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) {
        setDeleteError((err as Error).message);
        return;
      }
    }
    setSessions((list) => list?.filter((s) => s.id !== target.id) ?? list);
    setDeleted({ session: target, wasOpen: target.id === sessionId });
    if (target.id === sessionId) navigate('/', { replace: true });
  }

  async function undoDelete() {
    if (!deleted) return;
    setUndoBusy(true);
    try {
      await api.restoreSession(deleted.session.id);
      const { session, wasOpen } = deleted;
      setDeleted(null);
      await refresh();
      if (wasOpen) navigate(sessionPath(session.id));
    } catch (err) {
      setDeleteError((err as Error).message);
      setDeleted(null);
    } finally {
      setUndoBusy(false);
    }
  }

  const rename = useCallback(async (target: SessionSummary, title: string) => {
    const updated = await api.renameSession(target.id, title);
    setSessions((list) => list?.map((s) => (s.id === target.id ? { ...s, title: updated.title } : s)) ?? list);
  }, []);

  const dismissUndo = useCallback(() => setDeleted(null), []);
  const dismissError = useCallback(() => setDeleteError(null), []);

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
        search={search}
        onSearch={setSearch}
        onRename={rename}
        onDelete={(s) => void deleteSession(s)}
        onSignOut={onSignOut}
        onClose={() => setDrawerOpen(false)}
        onRetry={refresh}
      />
      <div className="scrim" onClick={() => setDrawerOpen(false)} aria-hidden="true" />
      <main id="main" className="main" tabIndex={-1}>
        <ProviderBanner health={health} />
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
      {deleted && (
        <UndoToast
          key={deleted.session.id}
          message={`Deleted “${deleted.session.title || deleted.session.filename}”`}
          seconds={UNDO_SECONDS}
          busy={undoBusy}
          onUndo={() => void undoDelete()}
          onDismiss={dismissUndo}
        />
      )}
      {deleteError && !deleted && <UndoToast message="" error={deleteError} seconds={8} onUndo={() => {}} onDismiss={dismissError} />}
      <SettingsPanel />
    </div>
  );
}
