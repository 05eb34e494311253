import { memo, useMemo, type MouseEvent } from 'react';
import { renderMarkdown } from '../lib/markdown';
import { markFiguresHTML, type Figure } from '../lib/trace';

/**
 * Assistant text: Markdown rendered and sanitized. With figures (the
 * answer's trace), each traced figure links to its cell and each untraced
 * one is marked; onFigure gets the figure a click chose.
 */
export const Markdown = memo(function Markdown({
  text,
  streaming,
  figures,
  onFigure,
}: {
  text: string;
  streaming?: boolean;
  figures?: Figure[];
  onFigure?: (f: Figure) => void;
}) {
  const html = useMemo(() => markFiguresHTML(renderMarkdown(text), streaming ? undefined : figures), [text, streaming, figures]);
  function click(e: MouseEvent<HTMLDivElement>) {
    const el = (e.target as HTMLElement).closest?.('a.fig-traced');
    if (!el || !figures) return;
    e.preventDefault();
    const f = figures[Number(el.getAttribute('data-fig'))];
    if (f) onFigure?.(f);
  }
  return <div className={`markdown${streaming ? ' streaming' : ''}`} onClick={click} dangerouslySetInnerHTML={{ __html: html }} />;
});
