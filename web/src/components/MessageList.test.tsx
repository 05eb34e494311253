import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
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
