import { formatBytes } from './format';

export const ACCEPTED_EXTENSIONS = ['.csv', '.parquet', '.pq'] as const;
export const DEFAULT_MAX_UPLOAD = 1024 * 1024 * 1024; // 1 GiB, the server's default

/** The value for an <input type="file" accept>. */
export const ACCEPT_ATTRIBUTE = ACCEPTED_EXTENSIONS.join(',');

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}

/**
 * Checks a file before sending it. Returns a message in plain words, or
 * null when the file may be uploaded.
 */
export function checkUpload(file: { name: string; size: number }, maxBytes: number = DEFAULT_MAX_UPLOAD): string | null {
  const ext = extensionOf(file.name);
  if (!(ACCEPTED_EXTENSIONS as readonly string[]).includes(ext)) {
    const what = ext ? `“${ext}” files` : 'Files without an extension';
    return `${what} can't be analyzed. Choose a CSV or Parquet file (.csv, .parquet or .pq).`;
  }
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > maxBytes) {
    return `“${file.name}” is ${formatBytes(file.size)}, more than the ${formatBytes(maxBytes)} limit.`;
  }
  return null;
}
