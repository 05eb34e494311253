import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders GitHub-flavoured Markdown', () => {
    const html = renderMarkdown('## Findings\n\n- **Revenue** is up\n- `SELECT 1`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(html).toContain('<h2>Findings</h2>');
    expect(html).toContain('<strong>Revenue</strong>');
    expect(html).toContain('<code>SELECT 1</code>');
    expect(html).toContain('<table>');
    expect(html).toContain('<td>2</td>');
  });

  it.each([
    ['<script>alert(1)</script>hi', /<script/i],
    ['<img src=x onerror="alert(1)">', /onerror|<img/i],
    ['[click](javascript:alert(1))', /javascript:/i],
    ['<a href="javascript:alert(1)">x</a>', /javascript:/i],
    ['<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['<div style="background:url(https://evil.example/x)">x</div>', /style=/i],
    ['<svg><script>alert(1)</script></svg>', /<script/i],
    ['<form action="https://evil.example"><input name=a></form>', /<form|<input/i],
    ['![track](https://evil.example/pixel.png)', /<img/i],
  ])('removes dangerous markup: %s', (src, bad) => {
    expect(renderMarkdown(src)).not.toMatch(bad);
  });

  it('opens links in a new tab without referrer or opener', () => {
    const html = renderMarkdown('[docs](https://duckdb.org/docs)');
    expect(html).toContain('href="https://duckdb.org/docs"');
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer"');
  });

  it('escapes HTML inside code', () => {
    expect(renderMarkdown('```\n<b>x</b>\n```')).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});
