// Several files per analysis and the versions of their tables
// (GET/POST /api/sessions/{id}/tables, /changes, /undo, /redo, /versions).
import { ApiError, errorFromResponse, notifyUnauthorized, tokenStore } from './api';
import type { Row } from './types';

export interface TableState {
  name: string;
  source_filename: string;
  primary: boolean;
  current_version: number;
  current_version_id: string;
  row_count: number;
  column_count: number;
  columns: string[];
  versions: number;
  can_undo: boolean;
  can_redo: boolean;
}

export type VersionAuthor = 'upload' | 'user' | 'builtin' | 'model';

export interface VersionState {
  id: string;
  table: string;
  seq: number;
  author: VersionAuthor;
  author_detail?: string;
  description: string;
  sql?: string;
  row_count: number;
  column_count: number;
  disk_bytes: number;
  created_at: string;
  current: boolean;
}

export interface TablesState {
  tables: TableState[];
  versions: VersionState[];
  can_undo: boolean;
  can_redo: boolean;
  /** When a table last read another version: answers before it used other data. */
  changed_at?: string;
  max_versions: number;
}

export interface TablePreview {
  table?: string;
  columns: string[];
  types: string[];
  row_count: number;
  rows: Row[];
}

function path(sessionId: string, rest: string): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}${rest}`;
}

async function call<T>(method: string, url: string, body?: BodyInit, json = true): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined && json) headers['Content-Type'] = 'application/json';
  const token = tokenStore.get();
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body });
  } catch {
    throw new ApiError(0, "Can't reach the Analyzer server. Check that it is still running, then try again.");
  }
  if (!res.ok) {
    const err = errorFromResponse(res.status, await res.text().catch(() => ''), res.headers.get('Retry-After'));
    if (res.status === 401) notifyUnauthorized();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const tablesApi = {
  state: (sessionId: string) => call<TablesState>('GET', path(sessionId, '/tables')),
  addFile: (sessionId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return call<{ table: string; notice?: string; tables: TablesState }>('POST', path(sessionId, '/tables'), form, false);
  },
  addEarlier: (sessionId: string, fromSessionId: string) =>
    call<{ table: string; notice?: string; tables: TablesState }>(
      'POST',
      path(sessionId, '/tables'),
      JSON.stringify({ from_session_id: fromSessionId }),
    ),
  remove: (sessionId: string, table: string) => call<void>('DELETE', path(sessionId, `/tables/${encodeURIComponent(table)}`)),
  preview: (sessionId: string, table: string) =>
    call<TablePreview>('GET', path(sessionId, `/tables/${encodeURIComponent(table)}/preview`)),
  undo: (sessionId: string) => call<{ tables: TablesState }>('POST', path(sessionId, '/undo')),
  redo: (sessionId: string) => call<{ tables: TablesState }>('POST', path(sessionId, '/redo')),
  restore: (sessionId: string, versionId: string) =>
    call<{ tables: TablesState }>('POST', path(sessionId, `/versions/${encodeURIComponent(versionId)}/restore`)),
  downloadURL: (sessionId: string, versionId: string) => path(sessionId, `/versions/${encodeURIComponent(versionId)}/download`),
};

/** Who made a version, in words. */
export function authorLabel(v: Pick<VersionState, 'author' | 'author_detail'>): string {
  switch (v.author) {
    case 'upload':
      return 'Upload';
    case 'user':
      return 'Your SQL';
    case 'builtin':
      return 'Built-in analyst';
    case 'model':
      return v.author_detail ? `Model (${v.author_detail})` : 'Model';
    default:
      return v.author;
  }
}

/** Whether an answer given at `at` was computed before the data last changed. */
export function isStale(at: string | undefined, changedAt: string | undefined): boolean {
  if (!at || !changedAt) return false;
  const a = Date.parse(at);
  const c = Date.parse(changedAt);
  return Number.isFinite(a) && Number.isFinite(c) && a < c;
}
