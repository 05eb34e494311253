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

// Numbers for people follow one set of rules, the server's (Go package
// numfmt); both are tested against numfmt/testdata/cases.json.
//   - years, identifiers and codes are labels: their digits, no separator;
//   - counts are integers with separators;
//   - other numbers keep at most 2 decimals from 10 up, 3 from 1, 4 below
//     1, trailing zeros dropped; 1.23e-5 below 0.0001 and from 10^15;
//   - shares are percentages with one decimal at most;
//   - an estimate is marked "≈ 229" (in sentences: "about 229").

/** How a column's numbers read: amounts get separators, labels (years, IDs, codes) do not. */
export type NumberRole = 'amount' | 'label';

const MIN_YEAR = 1000;
const MAX_YEAR = 2100;
const MIN_UNNAMED_YEAR = 1800;
const LABEL_NAME = /(^id$|_id$|^id_|\bid\b|uuid|^index$|^row_?num|code|zip|postal|postcode|phone|isbn|ean|upc|sku|fips|_no$|^no$|number$|_nr$)/i;
const YEAR_NAME = /(year|yr|season|date|period|decade|cohort|vintage|^fy|_fy$|fiscal|time|day|month|built|founded|born|birth)/i;
const AMOUNT_NAME = /(amount|total|sum|count|price|cost|revenue|sales|qty|quantity|balance|salary|income|population|votes|points|score|weight|height|length|distance|deposit|size|bytes|value|^n$|^n_|^num_|_num$)/i;

function inRange(min: number, max: number, lo: number, hi: number): boolean {
  return min >= lo && max <= hi;
}

/** The role of a column's numbers from its name, whether it is an identifier, and its range. */
export function numberRole(name: string, identifier: boolean, min: number, max: number, integer: boolean): NumberRole {
  if (identifier || LABEL_NAME.test(name)) return 'label';
  if (
    integer &&
    YEAR_NAME.test(name) &&
    (inRange(min, max, MIN_YEAR, MAX_YEAR) ||
      inRange(min, max, MIN_YEAR * 100 + 1, MAX_YEAR * 100 + 12) ||
      inRange(min, max, MIN_YEAR * 10000 + 101, MAX_YEAR * 10000 + 1231))
  )
    return 'label';
  // Years in a column whose name does not say so ("Closed"): see numfmt.
  if (integer && min < max && inRange(min, max, MIN_UNNAMED_YEAR, MAX_YEAR) && !AMOUNT_NAME.test(name)) return 'label';
  return 'amount';
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A count: an integer with thousands separators. */
export function formatCount(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  return (n < 0 && Math.trunc(n) !== 0 ? '-' : '') + group(s);
}

function exponent(f: number): string {
  return f.toExponential(2);
}

/** A measure, rounded by its magnitude. */
export function formatMeasure(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '∞';
  if (f === -Infinity) return '-∞';
  const abs = Math.abs(f);
  if (abs !== 0 && (abs >= 1e15 || abs < 1e-4)) return exponent(f);
  const d = abs >= 10 ? 2 : abs >= 1 ? 3 : 4;
  const p = 10 ** d;
  const r = Math.round(abs * p) / p;
  let s = r.toFixed(d);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  const [intPart, frac] = s.split('.');
  s = group(intPart) + (frac ? `.${frac}` : '');
  return f < 0 && r !== 0 ? `-${s}` : s;
}

/** A number of a column with the given role. */
export function formatValue(f: number, role: NumberRole | undefined): string {
  if (role !== 'label') return formatMeasure(f);
  if (Number.isInteger(f) && Math.abs(f) < 1e15) return f.toFixed(0);
  return formatMeasure(f).replace(/,/g, ''); // a mean year: 2013.4
}

/** A share (0.123) as a percentage (12.3%): "<0.1%" and ">99.9%" rather than 0% or 100%. */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return '—';
  const p = share * 100;
  if (p > 0 && p < 0.1) return '<0.1%';
  if (p > 99.9 && p < 100) return '>99.9%';
  const r = Math.round(Math.abs(p) * 10) / 10;
  const [intPart, frac] = r.toFixed(1).replace(/\.0$/, '').split('.');
  const s = group(intPart) + (frac ? `.${frac}` : '');
  return (p < 0 && r !== 0 ? '-' : '') + s + '%';
}

/** An estimate in a sentence: "about 229". */
export function about(s: string): string {
  return `about ${s}`;
}

/** An estimate in a table or label: "≈ 229". */
export function approx(s: string): string {
  return `≈ ${s}`;
}

/** A short, readable form of a statistic: 12,345.68 or 0.000123 or 1.2e+21; role keeps years as 2014. */
export function formatStat(value: unknown, role?: NumberRole): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number') return formatValue(value, role);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * A length of time in seconds as tables write it: m:ss or h:mm:ss, with
 * hundredths when there are any (duck.FormatDuration's twin: "4:25",
 * "1:10.73", "2:03:59").
 */
export function formatTimeLength(sec: number): string {
  if (!Number.isFinite(sec)) return '—';
  const neg = sec < 0;
  const cs = Math.round(Math.abs(sec) * 100);
  const whole = Math.floor(cs / 100);
  const frac = cs % 100;
  const h = Math.floor(whole / 3600);
  const m = Math.floor(whole / 60) % 60;
  const s = whole % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  let out = (neg ? '-' : '') + (h > 0 ? `${h}:${pad(m)}` : String(m)) + ':' + pad(s);
  if (frac > 0) out += '.' + pad(frac).replace(/0$/, '');
  return out;
}

/** Text for one table cell. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A number for a table: at most 4 decimals (the full value is in the tooltip and the CSV). */
/**
 * Text for a number in a table column of the given role: amounts rounded by
 * magnitude with separators (1,234.57), labels (years, IDs, codes) as their
 * digits. The cell's title and every copy keep the exact value.
 */
export function formatNumberCell(value: unknown, role: NumberRole = 'amount'): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return formatCell(value);
  if (role === 'label' && Number.isInteger(value)) return String(value);
  return formatValue(value, role);
}

/** The role of a table column's numbers, from its name and the values loaded. */
export function columnRole(name: string, values: Iterable<unknown>): NumberRole {
  let min = Infinity;
  let max = -Infinity;
  let integer = true;
  let seen = false;
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    seen = true;
    if (v < min) min = v;
    if (v > max) max = v;
    if (!Number.isInteger(v)) integer = false;
  }
  return seen ? numberRole(name, false, min, max, integer) : 'amount';
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
