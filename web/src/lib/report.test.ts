import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildReport, REPORT_TABLE_ROWS, reportFilename, reportHTML, reportMarkdown, reportZip } from './report';
import type { SessionDetail } from './types';

const rows = Array.from({ length: 60 }, (_, i) => ({ month: `2024-${String((i % 12) + 1).padStart(2, '0')}`, rain: i * 1.5 }));

const detail: SessionDetail = {
  id: 's',
  title: 'Rain <in> Seattle',
  created_at: '2024-01-01T00:00:00Z',
  file: { filename: 'weather.csv', row_count: 1461, column_count: 6, columns: [], preview: [] },
  messages: [
    { id: '1', role: 'user', type: 'text', text: 'Total precipitation per month' },
    {
      id: '2',
      role: 'assistant',
      type: 'query_result',
      data: { sql: "SELECT month, sum(rain) AS rain FROM data WHERE x = '<b>' GROUP BY 1", result: rows, columns: ['month', 'rain'], row_count: 60, is_error: false },
    },
    {
      id: '3',
      role: 'assistant',
      type: 'plot',
      plot_data: {
        title: 'Total precipitation per month',
        vega_lite_spec: {
          data: { values: rows.slice(0, 12) },
          mark: 'bar',
          encoding: { x: { field: 'month', type: 'ordinal' }, y: { field: 'rain', type: 'quantitative' } },
        },
      },
    },
    { id: '4', role: 'assistant', type: 'text', text: 'It rains most in **November** <script>alert(1)</script>.' },
    { id: '5', role: 'assistant', type: 'query_result', data: { sql: 'SELEC 1', result: [], is_error: true, error: 'syntax error' } },
  ],
};

describe('the report', () => {
  it('is one HTML file that loads nothing: inline SVG charts, no script, a CSP that forbids every request', async () => {
    const html = reportHTML(await buildReport(detail, new Date('2024-05-01T12:00:00Z')));
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    // The chart is drawn: an SVG with its bars and its title.
    const svg = html.slice(html.indexOf('<figure'), html.indexOf('</figure>'));
    expect(svg).toMatch(/<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect((svg.match(/<path[^>]*aria-roledescription="bar"/g) ?? []).length).toBe(12);
    expect(svg).toContain('Total precipitation per month');
    // The SQL of each number, escaped; the question, the answer, the error.
    expect(html).toContain('SELECT month, sum(rain) AS rain FROM data WHERE x = &#39;&lt;b&gt;&#39; GROUP BY 1');
    expect(html).toContain('<p class="question">Total precipitation per month</p>');
    expect(html).toContain('<strong>November</strong>');
    expect(html).toContain('syntax error');
    expect(html).toContain('<title>Rain &lt;in&gt; Seattle</title>');
    // The table: the first rows, and how many there are.
    expect((html.match(/<tr>/g) ?? []).length).toBe(REPORT_TABLE_ROWS + 1);
    expect(html).toContain(`the first ${REPORT_TABLE_ROWS} of 60 rows`);
  });

  it('is Markdown with the charts as SVG files in a zip', async () => {
    const report = await buildReport(detail);
    const { markdown, charts } = reportMarkdown(report);
    expect(markdown).toMatch(/^# Rain <in> Seattle\n/);
    expect(markdown).toContain('> **Total precipitation per month**');
    expect(markdown).toContain("```sql\nSELECT month, sum(rain) AS rain FROM data WHERE x = '<b>' GROUP BY 1\n```");
    expect(markdown).toContain('| month | rain |\n| --- | --- |\n| 2024-01 | 0 |');
    expect(markdown).toContain('![Total precipitation per month](charts/chart-1.svg)');
    expect(charts).toHaveLength(1);
    const files = unzipSync(reportZip(report));
    expect(Object.keys(files).sort()).toEqual(['charts/chart-1.svg', 'report.md']);
    expect(strFromU8(files['report.md'])).toBe(markdown);
    expect(strFromU8(files['charts/chart-1.svg'])).toMatch(/^<svg/);
  });

  it('names its file after the title, safely', () => {
    expect(reportFilename('Rain: 2024/25?', 'html')).toBe('Rain 2024 25.html');
    expect(reportFilename('...', 'zip')).toBe('report.zip');
  });
});
