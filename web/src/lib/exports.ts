import { errorFromResponse, notifyUnauthorized, tokenStore } from './api';

export type ResultExportFormat = 'csv' | 'parquet' | 'json';
export type DataExportFormat = 'csv' | 'parquet';

/** The server's full export of a stored result: its SQL re-run, every row. */
export function resultExportPath(sessionId: string, messageId: string, format: ResultExportFormat, caption?: string): string {
  const q = new URLSearchParams({ format });
  if (caption) q.set('caption', caption);
  return `/api/sessions/${encodeURIComponent(sessionId)}/messages/${encodeURIComponent(messageId)}/export?${q}`;
}

/** The server's export of a session's dataset (its typed copy). */
export function dataExportPath(sessionId: string, format: DataExportFormat): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}/data/export?format=${format}`;
}

/** The file name the server gave (Content-Disposition's UTF-8 filename*, else filename). */
export function filenameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* malformed: try the plain name */
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(disposition);
  return plain?.[1] || fallback;
}

/** Saves a blob under a name, through a temporary link. */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Fetches an export with the user's token (the API takes no cookies, so a
 * plain link cannot carry it) and saves it under the server's file name.
 * An error answer becomes an ApiError with the server's words.
 */
export async function downloadExport(path: string, fallbackName: string, signal?: AbortSignal): Promise<string> {
  const headers: Record<string, string> = {};
  const token = tokenStore.get();
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { headers, signal });
  if (!res.ok) {
    if (res.status === 401) notifyUnauthorized();
    throw errorFromResponse(res.status, await res.text().catch(() => ''), res.headers.get('Retry-After'));
  }
  const name = filenameFrom(res.headers.get('Content-Disposition'), fallbackName);
  saveBlob(await res.blob(), name);
  return name;
}
