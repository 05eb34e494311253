import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChatItem } from '../lib/chat';
import { MessageList } from './MessageList';

describe('MessageList', () => {
  it('renders text as Markdown, results with SQL and actions, errors and the status line', () => {
    const items: ChatItem[] = [
      { kind: 'user', key: 'u', text: 'SELECT region, count(*) AS n FROM data GROUP BY 1' },
      { kind: 'text', key: 't', text: 'The **North** leads.' },
      {
        kind: 'query',
        key: 'q',
        data: { result: [{ region: 'North', n: 3 }], is_error: false, columns: ['region', 'n'], row_count: 1, sql: 'SELECT region, count(*) AS n FROM data GROUP BY 1', elapsed_ms: 4 },
      },
      { kind: 'query', key: 'q2', data: { result: [], is_error: true, error: 'Parser Error: syntax error', sql: 'SELEC' } },
      { kind: 'error', key: 'e', text: 'a reply is still running' },
    ];
    render(<MessageList items={items} running status="Running query…" />);
    expect(screen.getByText('North', { selector: 'strong' })).toBeTruthy();
    // The user typed that SQL: the result's copy is folded, the other query's is shown.
    expect(screen.getAllByText('SELECT region, count(*) AS n FROM data GROUP BY 1')).toHaveLength(1);
    const toggles = screen.getAllByRole('button', { name: 'SQL' });
    expect(toggles.map((t) => t.getAttribute('aria-expanded'))).toEqual(['false', 'true']);
    expect(screen.getByText('SELEC')).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Copy SQL' })).toHaveLength(2);
    expect(screen.getByRole('button', { name: /Download CSV/ })).toBeTruthy();
    expect(screen.getByText(/1 row · 4 ms/)).toBeTruthy();
    expect(screen.getByText('Parser Error: syntax error')).toBeTruthy();
    expect(screen.getByText('a reply is still running')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Running query…');
  });
});

describe('MessageList controls', () => {
  const items: ChatItem[] = [
    { kind: 'user', key: 'u', id: 'q1', text: 'how many?', at: '2026-01-02T10:00:00Z' },
    { kind: 'text', key: 't', id: 'a1', text: 'There are **3**.', at: '2026-01-02T10:00:02Z' },
  ];

  it('retries an answer by its question', () => {
    const onRetry = vi.fn();
    render(<MessageList items={items} running={false} status={null} onRetry={onRetry} onEdit={() => true} />);
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledWith('q1');
  });

  it('edits a question and resends it', () => {
    const onEdit = vi.fn(() => true);
    render(<MessageList items={items} running={false} status={null} onRetry={() => {}} onEdit={onEdit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Edit question' }));
    const box = screen.getByRole('textbox', { name: 'Edited question' });
    fireEvent.change(box, { target: { value: 'how many rows?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(onEdit).toHaveBeenCalledWith('q1', 'how many rows?');
    expect(screen.queryByRole('textbox', { name: 'Edited question' })).toBeNull();
  });

  it('copies an answer as Markdown', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    Object.defineProperty(window, 'isSecureContext', { value: true, configurable: true });
    render(<MessageList items={items} running={false} status={null} />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy answer as Markdown' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('There are **3**.'));
  });

  it('shows when each message was written', () => {
    const { container } = render(<MessageList items={items} running={false} status={null} />);
    const times = container.querySelectorAll('time');
    expect([...times].map((t) => t.getAttribute('datetime'))).toEqual(['2026-01-02T10:00:00Z', '2026-01-02T10:00:02Z']);
    expect(times[0].getAttribute('title')).toBeTruthy();
  });

  it('offers no retry or edit while a reply runs', () => {
    render(<MessageList items={items} running status="Thinking…" onRetry={() => {}} onEdit={() => true} />);
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit question' })).toBeNull();
  });
});

describe('MessageList figures', () => {
  // jsdom has no layout: give the result's scroll box the size a browser would.
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
  const items: ChatItem[] = [
    { kind: 'user', key: 'u', id: 'q1', text: 'how many sunny days?' },
    {
      kind: 'query',
      key: 'q',
      data: { result: [{ weather: 'sun', n: 641 }, { weather: 'fog', n: 101 }], is_error: false, columns: ['weather', 'n'], row_count: 2, sql: 'SELECT 1' },
    },
    {
      kind: 'text',
      key: 't',
      text: 'Sun came **641** times and fog 101 times; hail 7 times.',
      trace: {
        traced: 2,
        figures: [
          { start: 0, end: 0, text: '641', value: 641, source: { result: 0, row: 0, column: 'n', value: 641, kind: 'cell' } },
          { start: 0, end: 0, text: '101', value: 101, source: { result: 0, row: 1, column: 'n', value: 101, kind: 'cell' } },
          { start: 0, end: 0, text: '7', value: 7 },
        ],
      },
    },
  ];

  it('links traced figures, marks the rest, counts them, and shows the cell a click names', () => {
    const { container } = render(<MessageList items={items} running={false} status={null} />);
    const links = container.querySelectorAll('a.fig-traced');
    expect([...links].map((a) => a.textContent)).toEqual(['641', '101']);
    expect(links[1].getAttribute('title')).toBe('n, row 2: 101 (result 1)');
    const marks = container.querySelectorAll('.fig-untraced');
    expect(marks).toHaveLength(1);
    expect(marks[0].getAttribute('title')).toBe("not found in this answer's results");
    expect(screen.getByText('2 of 3 traced')).toBeTruthy();
    fireEvent.click(links[1]);
    expect(container.querySelector('.result-card.is-highlighted')).toBeTruthy();
    const lit = container.querySelector('td.cell-highlight');
    expect(lit?.textContent).toBe('101');
  });
});

describe('withoutQuotedSQL', () => {
  it('drops a fenced query that a result below shows, and keeps other code', async () => {
    const { withoutQuotedSQL } = await import('./MessageList');
    const items = [
      { kind: 'text', key: 't', text: 'I ran:\n```sql\nSELECT  count(*)\nFROM data;\n```\nand `x`:\n```sql\nSELECT 2\n```\n' },
      { kind: 'query', key: 'q', data: { sql: 'select count(*) from data', result: [], is_error: false } },
    ] as unknown as Parameters<typeof withoutQuotedSQL>[1];
    expect(withoutQuotedSQL((items[0] as { text: string }).text, items, 't')).toBe('I ran:\nand `x`:\n```sql\nSELECT 2\n```\n');
  });
});
