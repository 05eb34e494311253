const nf = new Intl.NumberFormat('en-US');

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return nf.format(n);
}

/**
 * Bytes in the units people read: 1.4 MB, 812 KB, 1 GB. Multiples of 1024,
 * as the upload limit is set (1 GB = 1,073,741,824 bytes).
 */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 ? 0 : 1;
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${units[unit]}`;
}

/** A short, readable form of a statistic: 12,345.68 or 0.000123 or 1.2e+21. */
export function formatStat(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    const abs = Math.abs(value);
    if (abs !== 0 && (abs >= 1e15 || abs < 1e-4)) return value.toExponential(2);
    if (Number.isInteger(value)) return nf.format(value);
    return new Intl.NumberFormat('en-US', { maximumFractionDigits: abs >= 10 ? 2 : abs >= 1 ? 3 : 4 }).format(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Text for one table cell. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A number for a table: at most 4 decimals (the full value is in the tooltip and the CSV). */
export function formatNumberCell(value: unknown): string {
  if (typeof value !== 'number' || Number.isInteger(value) || !Number.isFinite(value)) return formatCell(value);
  const abs = Math.abs(value);
  if (abs !== 0 && abs < 1e-4) return value.toExponential(3);
  return String(Math.round(value * 1e4) / 1e4);
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

export type DateGroup = 'Today' | 'Yesterday' | 'Previous 7 days' | 'Previous 30 days' | 'Older';

export function dateGroup(iso: string, now = new Date()): DateGroup {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'Older';
  const startOfDay = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((startOfDay(now) - startOfDay(d)) / 86_400_000);
  if (days <= 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days < 7) return 'Previous 7 days';
  if (days < 30) return 'Previous 30 days';
  return 'Older';
}

/** The kind of a DuckDB type name, for alignment and badges. */
export type TypeKind = 'number' | 'text' | 'date' | 'bool' | 'other';

export function typeKind(duckType: string | undefined): TypeKind {
  const t = (duckType ?? '').toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC)/.test(t)) return 'number';
  if (/^(DATE|TIME|TIMESTAMP|INTERVAL)/.test(t)) return 'date';
  if (/^(BOOL)/.test(t)) return 'bool';
  if (/^(VARCHAR|TEXT|STRING|CHAR|UUID|ENUM|BLOB)/.test(t)) return 'text';
  return 'other';
}

/** A short label for a DuckDB type: "BIGINT" → "bigint", "DECIMAL(18,3)" → "decimal(18,3)". */
export function typeLabel(duckType: string | undefined): string {
  return (duckType ?? '').toLowerCase();
}
