import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatItem } from '../lib/chat';
import { MessageList } from './MessageList';
import { foldedQueries } from './QueryGroup';

function query(key: string, sql: string, rows: Record<string, unknown>[]): ChatItem {
  return { kind: 'query', key, data: { result: rows, is_error: false, columns: Object.keys(rows[0] ?? { n: 0 }), row_count: rows.length, sql } };
}

const analysis: ChatItem[] = [
  { kind: 'user', key: 'u', text: 'Analyze this dataset', auto: true },
  { kind: 'text', key: 'intro', text: '## First look at weather.csv' },
  query('q1', 'SELECT count(*) AS n\nFROM data', [{ n: 1461 }]),
  query('q2', 'SELECT weather, count(*) AS n FROM data GROUP BY 1', [
    { weather: 'sun', n: 641 },
    { weather: 'fog', n: 101 },
  ]),
  { kind: 'query', key: 'q3', data: { result: [], is_error: true, error: 'Binder Error', sql: 'SELECT nope FROM data' } },
  {
    kind: 'text',
    key: 't',
    text: 'There are **1461** days; sun came 641 times.',
    trace: {
      traced: 2,
      figures: [
        { start: 0, end: 0, text: '1461', value: 1461, source: { result: 0, row: 0, column: 'n', value: 1461, kind: 'cell' } },
        { start: 0, end: 0, text: '641', value: 641, source: { result: 1, row: 0, column: 'n', value: 641, kind: 'cell' } },
      ],
    },
  },
  { kind: 'plot', key: 'p', plot: { vega_lite_spec: { mark: 'bar' } } } as ChatItem,
  { kind: 'suggestions', key: 's', suggestions: [{ text: 'How many days were sunny?' }] } as ChatItem,
];

/** The elements of the answer in document order, named by what they are. */
function order(container: HTMLElement): string[] {
  const body = container.querySelectorAll('.msg-assistant .assistant-body')[0];
  return [...body.children].map((el) => el.className.split(' ')[0]).filter((c) => c !== 'visually-hidden');
}

describe('the queries behind an answer', () => {
  // jsdom has no layout: give the results' scroll boxes the size a browser would (the browser test checks a folded one opens).
  const sizes = { clientHeight: 340, clientWidth: 800 };
  const saved: Partial<Record<keyof typeof sizes, PropertyDescriptor | undefined>> = {};
  beforeAll(() => {
    for (const [k, v] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      saved[k] = Object.getOwnPropertyDescriptor(HTMLElement.prototype, k);
      Object.defineProperty(HTMLElement.prototype, k, { configurable: true, get: () => v });
    }
  });
  afterAll(() => {
    for (const k of Object.keys(sizes) as (keyof typeof sizes)[]) {
      if (saved[k]) Object.defineProperty(HTMLElement.prototype, k, saved[k]!);
    }
  });

  it('folds three or more results before the text into one group after the text and charts', () => {
    const { container } = render(<MessageList items={analysis} running={false} status={null} onAsk={() => {}} />);
    const toggle = screen.getByRole('button', { name: /Queries behind these figures \(3\)/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(order(container).lastIndexOf('markdown')).toBeLessThan(order(container).indexOf('query-group'));
    expect(order(container).indexOf('plot-card')).toBeLessThan(order(container).indexOf('query-group'));
    expect(order(container).indexOf('query-group')).toBeLessThan(order(container).indexOf('suggestion-chips'));
    // Folded: one line per query with its row count; the cards are kept but hidden.
    const lines = within(container.querySelector('.query-group-summary') as HTMLElement).getAllByRole('listitem');
    expect(lines.map((li) => li.textContent)).toEqual(['1SELECT count(*) AS n FROM data1 row', '2SELECT weather, count(*) AS n FROM data GROUP BY 12 rows', '3SELECT nope FROM datafailed']);
    const body = container.querySelector('.query-group-body') as HTMLElement;
    expect(body.hidden).toBe(true);
    expect(body.querySelectorAll('.result-card')).toHaveLength(3);
  });

  it('opens to the same result cards, and folds again', () => {
    const { container } = render(<MessageList items={analysis} running={false} status={null} />);
    fireEvent.click(screen.getByRole('button', { name: /Queries behind these figures/ }));
    const body = container.querySelector('.query-group-body') as HTMLElement;
    expect(body.hidden).toBe(false);
    expect(screen.getByRole('button', { name: /Queries behind these figures/ }).getAttribute('aria-expanded')).toBe('true');
    expect(container.querySelector('.query-group-summary')).toBeNull();
    expect(within(body).getAllByRole('table')).toHaveLength(2);
    expect(within(body).getByText('Query failed')).toBeTruthy();
    // Numbered as the conversation's results, in their stored order.
    expect(within(body).getByRole('region', { name: 'Query result 2' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Fold the 3 queries' }));
    expect(body.hidden).toBe(true);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: /Queries behind these figures/ }));
  });

  it('opens the group when a traced figure whose result is folded is clicked, and lights its cell', async () => {
    const { container } = render(<MessageList items={analysis} running={false} status={null} />);
    const links = container.querySelectorAll('a.fig-traced');
    fireEvent.click(links[1]);
    expect((container.querySelector('.query-group-body') as HTMLElement).hidden).toBe(false);
    expect(container.querySelectorAll('.result-card.is-highlighted')).toHaveLength(1);
    await waitFor(() => expect(container.querySelector('.result-card.is-highlighted td.cell-highlight')?.textContent).toBe('641'));
  });

  it('leaves answers with one or two results, and results after the text, as they are', () => {
    const two = analysis.filter((it) => it.key !== 'q3');
    const { container } = render(<MessageList items={two} running={false} status={null} />);
    expect(container.querySelector('.query-group')).toBeNull();
    expect(order(container).slice(0, 4)).toEqual(['markdown', 'result-card', 'result-card', 'markdown']);
    // Three results, but not in a row.
    const apart = [analysis[2], analysis[5], analysis[3], analysis[5], analysis[4]];
    expect(foldedQueries(apart)).toEqual([]);
  });

  it('shows a live answer as its stored copy: folded where its results are until the text comes', () => {
    const live = analysis.slice(0, 5);
    const { container, rerender } = render(<MessageList items={live} running status="Writing…" />);
    expect(order(container).slice(0, 2)).toEqual(['markdown', 'query-group']);
    rerender(<MessageList items={analysis} running={false} status={null} />);
    expect(order(container).lastIndexOf('markdown')).toBeLessThan(order(container).indexOf('query-group'));
  });
});
