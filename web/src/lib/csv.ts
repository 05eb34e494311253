import type { Row } from './types';

/** Characters that make a spreadsheet treat a cell as a formula. */
const FORMULA_START = /^[=+@\t\r]|^-(?![\d.])/;

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return FORMULA_START.test(value) ? `'${value}` : value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV of the rows, columns in the given order, CRLF line ends. */
export function toCSV(columns: string[], rows: Row[]): string {
  const lines = [columns.map((c) => quote(cellText(c))).join(',')];
  for (const row of rows) lines.push(columns.map((c) => quote(cellText(row[c]))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The columns of a result: the declared ones, else the keys of its rows in order of appearance. */
export function resultColumns(declared: string[] | undefined, rows: Row[]): string[] {
  if (declared && declared.length) return declared;
  const seen = new Set<string>();
  for (const row of rows.slice(0, 200)) for (const k of Object.keys(row)) seen.add(k);
  return [...seen];
}

export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8') {
  const blob = new Blob(['\ufeff', text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A filesystem-friendly name from free text. */
export function slugify(text: string, fallback = 'result'): string {
  const slug = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_-]+/g, '-')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || fallback;
}

export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}
