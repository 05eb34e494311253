import { typeKind } from './format';
import type { FileInfo, Provider } from './types';

export function providerLabel(p: Provider | undefined | null): string {
  if (!p) return '';
  if (p.name === 'builtin') return 'Built-in analyst';
  return p.model || p.name;
}

/** Starter questions built from the dataset's real columns. */
export function suggestQuestions(file: Pick<FileInfo, 'columns' | 'column_types' | 'preview'>): string[] {
  const cols = file.columns ?? [];
  const types = file.column_types ?? [];
  const kinds = cols.map((c, i) => ({ name: c, kind: typeKind(types[i]) }));
  const numeric = kinds.filter((k) => k.kind === 'number' && !/(^|_|\b)(id|key|code|zip)$/i.test(k.name));
  const dates = kinds.filter((k) => k.kind === 'date');
  const preview = file.preview ?? [];
  // A category: text with repeated values in the preview.
  const categories = kinds.filter((k) => {
    if (k.kind !== 'text' && k.kind !== 'bool') return false;
    const values = preview.map((r) => r[k.name]).filter((v) => v !== null && v !== undefined);
    if (values.length === 0) return true;
    const distinct = new Set(values.map(String)).size;
    return distinct <= Math.max(2, values.length * 0.5);
  });

  const out: string[] = [];
  const n = numeric[0]?.name;
  const c = categories[0]?.name;
  if (n && c) out.push(`Average ${n} by ${c}`);
  if (dates[0] && n) out.push(`${n} over time`);
  else if (c && n && numeric.length) out.push(`Top 5 ${c} by total ${n}`);
  if (n) out.push(`Distribution of ${n}`);
  if (out.length < 3) out.push('How many rows are there?');
  out.push('SELECT * FROM data LIMIT 10');
  return out.slice(0, 4).map((q) => q.charAt(0).toUpperCase() + q.slice(1));
}
