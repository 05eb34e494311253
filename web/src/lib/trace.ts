// Figures of an answer and the cells they came from (the server's trace
// package): marking them in rendered Markdown, describing their source.
import type { Cell, Figure, Part, Source } from './events.gen';
import { formatCell } from './format';

export type { Figure, Part as TracedPart, Source };

/** What a traced figure links to: a result of the same answer, a row and a column. */
export interface FigureTarget {
  /** Index of the result among the answer's query results. */
  result: number;
  row: number;
  column?: string;
}

export const UNTRACED_TITLE = "not found in this answer's results";

function cellText(c: Cell | Source): string {
  const v = formatCell(c.value);
  if (c.row < 0) return c.column ? `total of ${c.column}: ${v}` : `row count: ${v}`;
  return `${c.column ?? 'value'}, row ${c.row + 1}: ${v}`;
}

/** The hover text of a traced figure: the cell with its column and row. */
export function sourceTitle(s: Source): string {
  const where = `result ${s.result + 1}`;
  if (s.kind === 'share' && s.of) return `${cellText(s)} of ${cellText(s.of)} (${where})`;
  return `${cellText(s)} (${where})`;
}

/** "12 of 12 figures traced", "11 of 12 traced"; null when there is no figure. */
export function traceSummary(parts: (Part | undefined | null)[]): { text: string; all: boolean } | null {
  let figures = 0;
  let traced = 0;
  for (const p of parts) {
    if (!p) continue;
    figures += p.figures?.length ?? 0;
    traced += p.traced ?? 0;
  }
  if (figures === 0) return null;
  return traced === figures
    ? { text: `${traced} of ${figures} figures traced`, all: true }
    : { text: `${traced} of ${figures} traced`, all: false };
}

const SKIP = new Set(['CODE', 'PRE', 'A', 'SCRIPT', 'STYLE']);

/**
 * Wraps each figure of `figures` in `root` (rendered Markdown): a traced
 * one in a link (class fig-traced, data-fig its index, the cell as title),
 * an untraced one in a marked span. Figures are found in order, by their
 * text, in text outside code and links; one not found is left alone.
 */
export function markFigures(root: HTMLElement, figures: Figure[]): void {
  if (!figures.length) return;
  const doc = root.ownerDocument;
  const nodes: Text[] = [];
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode(n) {
      for (let p = n.parentElement; p && p !== root; p = p.parentElement) if (SKIP.has(p.tagName)) return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);

  let ni = 0;
  let offset = 0; // within nodes[ni]
  figures.forEach((f, fi) => {
    const text = f.text;
    if (!text) return;
    for (let i = ni; i < nodes.length; i++) {
      const node = nodes[i];
      const from = i === ni ? offset : 0;
      const at = findFigure(node.data, text, from);
      if (at < 0) continue;
      const figNode = node.splitText(at);
      const rest = figNode.splitText(text.length);
      const el = f.source ? doc.createElement('a') : doc.createElement('span');
      el.textContent = text;
      if (f.source) {
        el.className = 'fig fig-traced';
        el.setAttribute('href', '#');
        el.setAttribute('data-fig', String(fi));
        el.setAttribute('title', sourceTitle(f.source));
      } else {
        el.className = 'fig fig-untraced';
        el.setAttribute('title', UNTRACED_TITLE);
        el.setAttribute('tabindex', '0');
      }
      figNode.replaceWith(el);
      // Carry on in what follows the figure.
      nodes[i] = rest;
      ni = i;
      offset = 0;
      return;
    }
  });
}

/** The index of `text` in `s` from `from`, not inside a longer number or word. */
function findFigure(s: string, text: string, from: number): number {
  for (let i = s.indexOf(text, from); i >= 0; i = s.indexOf(text, i + 1)) {
    const before = s[i - 1] ?? '';
    const after = s[i + text.length] ?? '';
    if (/[\p{L}\p{N}_]/u.test(before) || ((before === '.' || before === ',') && /\d/.test(s[i - 2] ?? ''))) continue;
    if (/[\p{L}\p{N}_]/u.test(after) || ((after === '.' || after === ',') && /\d/.test(s[i + text.length + 1] ?? ''))) continue;
    return i;
  }
  return -1;
}

/** Marks figures in Markdown already rendered to safe HTML. */
export function markFiguresHTML(html: string, figures: Figure[] | undefined): string {
  if (!figures?.length || typeof document === 'undefined') return html;
  const t = document.createElement('template');
  t.innerHTML = html;
  const root = document.createElement('div');
  root.appendChild(t.content);
  markFigures(root, figures);
  return root.innerHTML;
}
