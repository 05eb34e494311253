/**
 * Tab-separated text, the form spreadsheets (Excel, Google Sheets,
 * LibreOffice, Numbers) read from the clipboard: one line per row, a tab
 * between cells. A cell holding a tab, a line break or a quote is quoted the
 * way those spreadsheets quote it on copy, so that it stays one cell.
 */
export function tsvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[\t\r\n"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Lines of cells as TSV; header, when given, is the first line. */
export function toTSV(cells: unknown[][], header?: string[]): string {
  const lines = header ? [header.map(tsvCell).join('\t')] : [];
  for (const row of cells) lines.push(row.map(tsvCell).join('\t'));
  return lines.join('\n');
}
