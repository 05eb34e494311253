import { memo, useMemo } from 'react';
import { renderMarkdown } from '../lib/markdown';

/** Assistant text: Markdown rendered and sanitized. */
export const Markdown = memo(function Markdown({ text, streaming }: { text: string; streaming?: boolean }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className={`markdown${streaming ? ' streaming' : ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
});
