import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TablesState } from '../lib/tables';
import { isStale } from '../lib/tables';
import { TablesPanel } from './TablesPanel';

function state(current: number): TablesState {
  return {
    tables: [
      { name: 'orders', source_filename: 'orders.csv', primary: true, current_version: current, current_version_id: `v${current}`, row_count: current === 2 ? 4 : 5, column_count: 4, columns: [], versions: 2, can_undo: current === 2, can_redo: current === 1 },
      { name: 'customers', source_filename: 'customers.csv', primary: false, current_version: 1, current_version_id: 'c1', row_count: 3, column_count: 2, columns: [], versions: 1, can_undo: false, can_redo: false },
    ],
    versions: [
      { id: 'v1', table: 'orders', seq: 1, author: 'upload', description: 'Uploaded orders.csv', row_count: 5, column_count: 4, disk_bytes: 0, created_at: '2026-01-01T00:00:00Z', current: current === 1 },
      { id: 'c1', table: 'customers', seq: 1, author: 'upload', description: 'Added customers.csv', row_count: 3, column_count: 2, disk_bytes: 10, created_at: '2026-01-01T00:01:00Z', current: true },
      { id: 'v2', table: 'orders', seq: 2, author: 'builtin', description: 'Removed rows where amount is empty', row_count: 4, column_count: 4, disk_bytes: 10, created_at: '2026-01-01T00:02:00Z', current: current === 2 },
    ],
    can_undo: current === 2,
    can_redo: current === 1,
    changed_at: '2026-01-01T00:02:00Z',
    max_versions: 30,
  };
}

let calls: string[];
beforeEach(() => {
  calls = [];
  localStorage.setItem('analyzer.token', 'jwt');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? 'GET'} ${url}`);
      if (url === '/api/sessions/s1/tables') return new Response(JSON.stringify(state(2)), { status: 200 });
      if (url === '/api/sessions/s1/undo') return new Response(JSON.stringify({ table: 'orders', from: 2, to: 1, tables: state(1) }), { status: 200 });
      return new Response('{"detail":"nothing to redo"}', { status: 409 });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('TablesPanel', () => {
  it('lists the tables, undoes the last change and shows the history', async () => {
    const onChanged = vi.fn();
    render(<TablesPanel sessionId="s1" refreshKey={0} onChanged={onChanged} />);
    await screen.findByText('customers');
    expect(screen.getByText(/4 rows × 4 columns · version 2/)).toBeTruthy();
    const undo = screen.getByRole('button', { name: /Undo/ });
    const redo = screen.getByRole('button', { name: /Redo/ });
    expect((redo as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(undo);
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(calls).toContain('POST /api/sessions/s1/undo');
    expect((screen.getByRole('button', { name: /Redo/ }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByText(/History \(3 versions/)).toBeTruthy();
    expect(screen.getByText('Removed rows where amount is empty')).toBeTruthy();
    expect(screen.getAllByText(/Built-in analyst/).length).toBe(1);
  }, 20_000);

  it('shows why a redo failed', async () => {
    render(<TablesPanel sessionId="s1" refreshKey={0} onChanged={vi.fn()} />);
    await screen.findByText('customers');
    fireEvent.click(screen.getByRole('button', { name: /Undo/ }));
    await waitFor(() => expect((screen.getByRole('button', { name: /Redo/ }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: /Redo/ }));
    expect((await screen.findByRole('alert')).textContent).toBe('nothing to redo');
  }, 20_000);
});

describe('isStale', () => {
  it('marks answers older than the last change', () => {
    expect(isStale('2026-01-01T00:01:00Z', '2026-01-01T00:02:00Z')).toBe(true);
    expect(isStale('2026-01-01T00:03:00Z', '2026-01-01T00:02:00Z')).toBe(false);
    expect(isStale(undefined, '2026-01-01T00:02:00Z')).toBe(false);
    expect(isStale('2026-01-01T00:01:00Z', undefined)).toBe(false);
  });
});
