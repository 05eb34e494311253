// A session as a report that leaves the app: one self-contained HTML file,
// or Markdown with its charts as SVG files in a zip. Both are built here,
// in the browser, because drawing a Vega-Lite chart to SVG needs Vega,
// which is the browser's: the charts of the report are the ones the user
// saw, drawn by the same code, with no second renderer on the server.
import { strToU8, zipSync } from 'fflate';
import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';
import { resultColumns } from './csv';
import { formatCell, formatNumber } from './format';
import { renderMarkdown } from './markdown';
import type { Message, QueryResult, Row, SessionDetail } from './types';
import { chartConfig, prepareSpec, refusingLoader } from './vega';

/** Rows of a result shown in a report (the SQL beside it gives them all). */
export const REPORT_TABLE_ROWS = 50;
/** The width charts are drawn at. */
export const REPORT_CHART_WIDTH = 640;

/** One piece of the conversation, as the report shows it. */
export type ReportBlock =
  | { kind: 'question'; text: string }
  | { kind: 'answer'; markdown: string }
  | { kind: 'result'; sql: string; columns: string[]; rows: Row[]; total: number; error?: string }
  | { kind: 'chart'; title: string; svg: string; error?: string };

export interface Report {
  title: string;
  /** "sales.csv · 1,204 rows × 8 columns" */
  subtitle: string;
  exportedAt: Date;
  blocks: ReportBlock[];
}

const quiet = () => {};
const silentLogger = { level: () => silentLogger, error: quiet, warn: quiet, info: quiet, debug: quiet };

/**
 * Draws a Vega-Lite spec as SVG text, in the light theme at a fixed width:
 * the same compile and interpreter as the page (no eval), and a loader
 * that loads nothing, so a chart cannot reach the network.
 */
export async function chartSVG(spec: Record<string, unknown>, title?: string): Promise<string> {
  const full = prepareSpec(spec, title);
  if (full.width === 'container') full.width = REPORT_CHART_WIDTH;
  if (full.autosize && typeof full.autosize === 'object') full.autosize = { type: 'fit-x', contains: 'padding' };
  const config = { ...chartConfig(false), background: '#ffffff' };
  const vg = compile(full as unknown as TopLevelSpec, { config: config as never, logger: silentLogger as never }).spec;
  const view = new View(parse(vg, undefined, { ast: true }), {
    renderer: 'none',
    expr: expressionInterpreter as never,
    loader: refusingLoader() as never,
    logLevel: 0,
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function isQueryResult(data: unknown): data is QueryResult {
  return !!data && typeof data === 'object' && 'result' in data;
}

/** The report of a session: its questions, answers, results (with their SQL) and charts, in order. */
export async function buildReport(detail: SessionDetail, now = new Date()): Promise<Report> {
  const blocks: ReportBlock[] = [];
  for (const m of detail.messages as Message[]) {
    if (m.role === 'user') {
      if (m.kind === 'auto_analyze') blocks.push({ kind: 'question', text: 'Auto-analyze: a first look at the data' });
      else if (m.text?.trim()) blocks.push({ kind: 'question', text: m.text.trim() });
      continue;
    }
    if (m.type === 'text' && m.text?.trim()) {
      blocks.push({ kind: 'answer', markdown: m.text.trim() });
    } else if (m.type === 'query_result' && isQueryResult(m.data)) {
      const d = m.data;
      const rows = Array.isArray(d.result) ? d.result : [];
      blocks.push({
        kind: 'result',
        sql: d.sql ?? '',
        columns: resultColumns(d.columns, rows),
        rows: rows.slice(0, REPORT_TABLE_ROWS),
        total: typeof d.row_count === 'number' ? d.row_count : rows.length,
        error: d.is_error ? d.error || 'The query failed.' : undefined,
      });
    } else if (m.type === 'plot' && m.plot_data?.vega_lite_spec) {
      const title = m.plot_data.title ?? '';
      try {
        blocks.push({ kind: 'chart', title, svg: await chartSVG(m.plot_data.vega_lite_spec, title) });
      } catch (err) {
        blocks.push({ kind: 'chart', title, svg: '', error: `The chart could not be drawn: ${(err as Error).message}` });
      }
    } else if (m.type === 'error' && m.text?.trim()) {
      blocks.push({ kind: 'answer', markdown: `**Error:** ${m.text.trim()}` });
    }
  }
  const f = detail.file;
  const subtitle = f
    ? `${f.filename} · ${formatNumber(f.row_count)} rows × ${formatNumber(f.column_count)} columns`
    : '';
  return { title: detail.title || f?.filename || 'Analysis', subtitle, exportedAt: now, blocks };
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function rowsNote(shown: number, total: number): string {
  if (total <= shown) return `${formatNumber(total)} ${total === 1 ? 'row' : 'rows'}`;
  return `the first ${formatNumber(shown)} of ${formatNumber(total)} rows (the SQL above gives them all)`;
}

const STYLE = `
:root{color-scheme:light dark;--text:#18181b;--muted:#71717a;--border:#e4e4e7;--soft:#f4f4f5;--accent:#4f46e5;--bg:#fff}
@media (prefers-color-scheme:dark){:root{--text:#ececf1;--muted:#9a9aa6;--border:#2c2d32;--soft:#1c1d21;--accent:#818cf8;--bg:#131416}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.6 ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:860px;margin:0 auto;padding:40px 20px 80px}
header{border-bottom:1px solid var(--border);margin-bottom:28px;padding-bottom:16px}
h1{font-size:26px;line-height:1.25;margin:0 0 6px}
.muted{color:var(--muted);font-size:13px}
.question{margin:32px 0 12px;padding:10px 14px;border-left:3px solid var(--accent);background:var(--soft);border-radius:0 10px 10px 0;font-weight:600}
.answer{margin:12px 0}
.answer table,.result table{border-collapse:collapse;font-size:13px;width:100%}
.table-wrap{overflow-x:auto;border:1px solid var(--border);border-radius:10px;margin:8px 0}
th,td{padding:6px 10px;border-bottom:1px solid var(--border);text-align:left;white-space:nowrap}
th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr:last-child td{border-bottom:0}
details{margin:8px 0}
summary{cursor:pointer;color:var(--muted);font-size:13px}
pre{background:var(--soft);border:1px solid var(--border);border-radius:10px;padding:10px 12px;overflow-x:auto;font:12.5px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
figure{margin:16px 0;padding:12px;border:1px solid var(--border);border-radius:12px;background:#fff;overflow-x:auto}
figure svg{max-width:100%;height:auto}
figcaption{color:#52525b;font-size:13px;margin-top:6px}
.error{color:#dc2626}
footer{margin-top:48px;border-top:1px solid var(--border);padding-top:12px}
`;

function tableHTML(columns: string[], rows: Row[]): string {
  const numeric = (c: string) => rows.some((r) => typeof r[c] === 'number');
  const head = columns.map((c) => `<th${numeric(c) ? ' class="num"' : ''}>${esc(c)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${columns
          .map((c) => `<td${typeof r[c] === 'number' ? ' class="num"' : ''}>${esc(formatCell(r[c]))}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/**
 * The report as one HTML file: styles inline, charts as inline SVG, no
 * script, and a Content-Security-Policy that lets the file load nothing
 * from anywhere, so opening it makes no request.
 */
export function reportHTML(r: Report): string {
  const parts: string[] = [];
  for (const b of r.blocks) {
    switch (b.kind) {
      case 'question':
        parts.push(`<p class="question">${esc(b.text)}</p>`);
        break;
      case 'answer':
        parts.push(`<div class="answer">${renderMarkdown(b.markdown)}</div>`);
        break;
      case 'result':
        parts.push(
          `<section class="result">` +
            (b.sql ? `<details open><summary>SQL</summary><pre><code>${esc(b.sql)}</code></pre></details>` : '') +
            (b.error
              ? `<p class="error">${esc(b.error)}</p>`
              : `${tableHTML(b.columns, b.rows)}<p class="muted">${esc(rowsNote(b.rows.length, b.total))}</p>`) +
            `</section>`,
        );
        break;
      case 'chart':
        parts.push(
          b.error
            ? `<p class="error">${esc(b.error)}</p>`
            : `<figure role="img" aria-label="${esc(b.title || 'Chart')}">${b.svg}${b.title ? `<figcaption>${esc(b.title)}</figcaption>` : ''}</figure>`,
        );
        break;
    }
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="Analyzer">
<title>${esc(r.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header><h1>${esc(r.title)}</h1><p class="muted">${esc(r.subtitle)}${r.subtitle ? ' · ' : ''}exported ${esc(r.exportedAt.toLocaleString())}</p></header>
${parts.join('\n')}
<footer class="muted">Every figure above comes from the SQL shown with it, run on the dataset in Analyzer.</footer>
</main>
</body>
</html>
`;
}

function mdCell(v: unknown): string {
  return formatCell(v).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A fenced block that no backtick run inside the text can close. */
function fence(text: string, lang: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

/** The report as Markdown, with the charts as separate SVG files named charts/chart-N.svg. */
export function reportMarkdown(r: Report): { markdown: string; charts: { path: string; svg: string }[] } {
  const out: string[] = [`# ${r.title.replace(/\n/g, ' ')}`, ''];
  out.push(`${r.subtitle}${r.subtitle ? ' · ' : ''}exported ${r.exportedAt.toLocaleString()}`, '');
  const charts: { path: string; svg: string }[] = [];
  for (const b of r.blocks) {
    switch (b.kind) {
      case 'question':
        out.push(...b.text.split('\n').map((l) => `> **${l.replace(/\*/g, '\\*')}**`), '');
        break;
      case 'answer':
        out.push(b.markdown, '');
        break;
      case 'result':
        if (b.sql) out.push(fence(b.sql, 'sql'), '');
        if (b.error) {
          out.push(`*${b.error}*`, '');
          break;
        }
        if (b.columns.length) {
          out.push(`| ${b.columns.map(mdCell).join(' | ')} |`);
          out.push(`| ${b.columns.map(() => '---').join(' | ')} |`);
          for (const row of b.rows) out.push(`| ${b.columns.map((c) => mdCell(row[c])).join(' | ')} |`);
          out.push('', `*${rowsNote(b.rows.length, b.total)}*`, '');
        }
        break;
      case 'chart':
        if (b.error) {
          out.push(`*${b.error}*`, '');
          break;
        }
        charts.push({ path: `charts/chart-${charts.length + 1}.svg`, svg: b.svg });
        out.push(`![${(b.title || 'Chart').replace(/[[\]]/g, '')}](${charts[charts.length - 1].path})`, '');
        break;
    }
  }
  out.push('---', '', '*Every figure above comes from the SQL shown with it, run on the dataset in Analyzer.*', '');
  return { markdown: out.join('\n'), charts };
}

/** The Markdown report and its charts in one zip: report.md and charts/. */
export function reportZip(r: Report): Uint8Array {
  const { markdown, charts } = reportMarkdown(r);
  const files: Record<string, Uint8Array> = { 'report.md': strToU8(markdown) };
  for (const c of charts) files[c.path] = strToU8(c.svg);
  return zipSync(files, { level: 6 });
}

/** A file name for the report from the session's title. */
export function reportFilename(title: string, ext: string): string {
  const base = title
    .replace(/[<>:"/\\|?*`\u0000-\u001f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+|\.+$/g, '')
    .slice(0, 120);
  return `${base || 'report'}.${ext}`;
}
