import type { ChartMark, ChartProposal, Health, Profile, ProfileBins, ResultRowsPage, SampleDataset, SessionDetail, SessionSummary, UploadResponse } from './types';

/** An error the user can read: `message` is already in plain words. */
export class ApiError extends Error {
  readonly status: number;
  readonly retryAfter?: number;
  constructor(status: number, message: string, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

const TOKEN_KEY = 'analyzer.token';
const EMAIL_KEY = 'analyzer.email';

export const tokenStore = {
  get(): string | null {
    try {
      return localStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  },
  set(token: string, email?: string | null) {
    try {
      localStorage.setItem(TOKEN_KEY, token);
      if (email) localStorage.setItem(EMAIL_KEY, email);
      else localStorage.removeItem(EMAIL_KEY);
    } catch {
      /* storage disabled: the token lives for this page only */
    }
  },
  email(): string | null {
    try {
      return localStorage.getItem(EMAIL_KEY);
    } catch {
      return null;
    }
  },
  clear() {
    try {
      localStorage.removeItem(TOKEN_KEY);
      localStorage.removeItem(EMAIL_KEY);
    } catch {
      /* ignore */
    }
  },
};

let unauthorizedHandler: ((reason?: string) => void) | null = null;

/**
 * Called whenever an authenticated request is refused with 401, or the
 * server signs the account out; reason, when given, is in plain words.
 */
export function onUnauthorized(handler: ((reason?: string) => void) | null) {
  unauthorizedHandler = handler;
}

export function notifyUnauthorized(reason?: string) {
  unauthorizedHandler?.(reason);
}

const NETWORK_MESSAGE = "Can't reach the Analyzer server. Check that it is still running, then try again.";

/** Reads `{"detail": …}` from an error response, falling back to the status text. */
export function errorFromResponse(status: number, bodyText: string, retryAfterHeader?: string | null): ApiError {
  let detail = '';
  try {
    const body = JSON.parse(bodyText) as { detail?: unknown; message?: unknown };
    if (typeof body.detail === 'string') detail = body.detail;
    else if (Array.isArray(body.detail)) detail = body.detail.map((d) => (d as { msg?: string }).msg ?? String(d)).join('; ');
    else if (typeof body.message === 'string') detail = body.message;
  } catch {
    /* not JSON */
  }
  const retry = retryAfterHeader ? Number.parseInt(retryAfterHeader, 10) : NaN;
  const retryAfter = Number.isFinite(retry) ? retry : undefined;
  if (!detail) detail = defaultMessage(status, retryAfter);
  if (status === 429 && retryAfter !== undefined && !/\d/.test(detail)) {
    detail = `${detail.replace(/\.$/, '')}. Try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`;
  }
  return new ApiError(status, detail, retryAfter);
}

function defaultMessage(status: number, retryAfter?: number): string {
  switch (status) {
    case 400:
      return 'The request was not accepted.';
    case 401:
      return 'Your session has expired. Please sign in again.';
    case 403:
      return 'You do not have access to this.';
    case 404:
      return 'Not found. It may have been deleted.';
    case 413:
      return 'The file is too large.';
    case 429:
      return retryAfter !== undefined
        ? `Too many attempts. Try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`
        : 'Too many attempts. Please wait a moment and try again.';
    default:
      return status >= 500 ? 'Something went wrong on the server. Please try again.' : `Request failed (${status}).`;
  }
}

interface RequestOptions {
  auth?: boolean;
  body?: unknown;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const auth = opts.auth ?? true;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const token = tokenStore.get();
  if (auth && token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, NETWORK_MESSAGE);
  }
  if (!res.ok) {
    const err = errorFromResponse(res.status, await res.text().catch(() => ''), res.headers.get('Retry-After'));
    if (res.status === 401 && auth) notifyUnauthorized();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  health: () => request<Health>('GET', '/api/health', { auth: false }),
  register: (email: string, password: string) =>
    request<{ token: string }>('POST', '/api/auth/register', { auth: false, body: { email, password } }),
  login: (email: string, password: string) =>
    request<{ token: string }>('POST', '/api/auth/login', { auth: false, body: { email, password } }),
  localLogin: (token: string) => request<{ token: string }>('POST', '/api/auth/local', { auth: false, body: { token } }),
  /** The user's sessions, most recent first; a search keeps those whose title or file name holds every word. */
  sessions: (signal?: AbortSignal, search?: string) =>
    request<SessionSummary[]>('GET', search?.trim() ? `/api/sessions?q=${encodeURIComponent(search.trim())}` : '/api/sessions', { signal }),
  session: (id: string, signal?: AbortSignal) =>
    request<SessionDetail>('GET', `/api/sessions/${encodeURIComponent(id)}`, { signal }),
  profile: (id: string, signal?: AbortSignal) =>
    request<Profile>('GET', `/api/sessions/${encodeURIComponent(id)}/profile`, { signal }),
  /** Mini histograms of the profile's number and time columns. */
  profileBins: (id: string, signal?: AbortSignal) =>
    request<ProfileBins>('GET', `/api/sessions/${encodeURIComponent(id)}/profile/bins`, { signal }),
  /** A page of a stored query result's rows: offset from 0, limit up to 1000. */
  resultRows: (sessionId: string, messageId: string, offset: number, limit = 100, signal?: AbortSignal) =>
    request<ResultRowsPage>(
      'GET',
      `/api/sessions/${encodeURIComponent(sessionId)}/messages/${encodeURIComponent(messageId)}/rows?offset=${Math.max(0, Math.floor(offset))}&limit=${Math.max(1, Math.floor(limit))}`,
      { signal },
    ),
  /** A chart of a stored query result; mark picks one of the marks that fit. */
  resultChart: (sessionId: string, messageId: string, mark?: ChartMark, signal?: AbortSignal) =>
    request<ChartProposal>(
      'GET',
      `/api/sessions/${encodeURIComponent(sessionId)}/messages/${encodeURIComponent(messageId)}/chart${mark ? `?mark=${encodeURIComponent(mark)}` : ''}`,
      { signal },
    ),
  /** Deletes a session; it can be restored for UNDO_SECONDS. */
  deleteSession: (id: string) => request<void>('DELETE', `/api/sessions/${encodeURIComponent(id)}`),
  restoreSession: (id: string) => request<SessionSummary>('POST', `/api/sessions/${encodeURIComponent(id)}/restore`),
  renameSession: (id: string, title: string) =>
    request<SessionSummary>('PATCH', `/api/sessions/${encodeURIComponent(id)}`, { body: { title } }),
  samples: (signal?: AbortSignal) => request<SampleDataset[]>('GET', '/api/samples', { signal }),
  /** Makes a session of a sample dataset; the answer is an upload's. */
  loadSample: (id: string) => request<UploadResponse>('POST', `/api/samples/${encodeURIComponent(id)}`),
};

/** How long a deleted session can be restored (the server's window, less a margin for the round trip). */
export const UNDO_SECONDS = 28;

export interface UploadProgress {
  loaded: number;
  total: number;
  /** True once every byte is sent and the server is ingesting the file. */
  processing: boolean;
}

/**
 * Uploads a file with XMLHttpRequest, whose upload events give real byte
 * progress (fetch has none). Resolves with the new session.
 */
export function uploadFile(
  file: File,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<UploadResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/upload');
    xhr.setRequestHeader('Accept', 'application/json');
    const token = tokenStore.get();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      const total = e.lengthComputable ? e.total : file.size;
      onProgress({ loaded: e.loaded, total, processing: false });
    };
    xhr.upload.onload = () => onProgress({ loaded: file.size, total: file.size, processing: true });
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as UploadResponse);
        } catch {
          reject(new ApiError(xhr.status, 'The server sent an answer we could not read.'));
        }
        return;
      }
      const err = errorFromResponse(xhr.status, xhr.responseText, xhr.getResponseHeader('Retry-After'));
      if (xhr.status === 401) notifyUnauthorized();
      reject(err);
    };
    xhr.onerror = () => reject(new ApiError(0, 'The upload was interrupted: the connection to the server was lost.'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    if (signal) {
      if (signal.aborted) {
        reject(new DOMException('Upload cancelled', 'AbortError'));
        return;
      }
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    const form = new FormData();
    form.append('file', file, file.name);
    onProgress({ loaded: 0, total: file.size, processing: false });
    xhr.send(form);
  });
}
