import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QueryResult, Row } from '../lib/types';
import { QueryResultView, ROWS_PAGE } from './QueryResultView';

function rowsFrom(start: number, n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({ id: start + i }));
}

function stored(extra: Partial<QueryResult> = {}): QueryResult {
  return {
    result: rowsFrom(0, 100),
    is_error: false,
    columns: ['id'],
    row_count: 5000,
    truncated: true,
    truncated_reason: 'rows',
    row_offset: 0,
    stored_row_count: 1000,
    has_more: true,
    sql: 'SELECT id FROM data',
    ...extra,
  };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(() => vi.unstubAllGlobals());

describe('QueryResultView', () => {
  it('loads more stored rows a page at a time and appends them', async () => {
    const first = deferred<Response>();
    const fetchMock = vi
      .fn()
      .mockReturnValueOnce(first.promise)
      .mockResolvedValueOnce(
        new Response(JSON.stringify({ columns: ['id'], rows: rowsFrom(600, 400), row_offset: 600, stored_row_count: 1000, has_more: false }), {
          status: 200,
        }),
      );
    vi.stubGlobal('fetch', fetchMock);
    render(<QueryResultView data={stored()} index={1} source={{ sessionId: 's 1', messageId: 'm9' }} />);
    expect(screen.getByText(/5,000 rows · showing 100 of 1,000/)).toBeTruthy();

    const button = screen.getByRole('button', { name: 'Load more rows' }) as HTMLButtonElement;
    fireEvent.click(button);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0][0]).toBe(`/api/sessions/s%201/messages/m9/rows?offset=100&limit=${ROWS_PAGE}`);
    expect(button.disabled).toBe(true);
    // A second click while loading sends nothing.
    fireEvent.click(button);
    expect(fetchMock).toHaveBeenCalledTimes(1);

    first.resolve(
      new Response(JSON.stringify({ columns: ['id'], rows: rowsFrom(100, 500), row_offset: 100, stored_row_count: 1000, has_more: true }), {
        status: 200,
      }),
    );
    await screen.findByText(/showing 600 of 1,000/);
    expect(button.disabled).toBe(false);

    fireEvent.click(button);
    expect(fetchMock.mock.calls[1][0]).toBe(`/api/sessions/s%201/messages/m9/rows?offset=600&limit=${ROWS_PAGE}`);
    // Every stored row is shown: the button goes, the row-limit note stays.
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Load more rows' })).toBeNull());
    expect(screen.getByText(/5,000 rows · showing the first 1,000$/)).toBeTruthy();
  });

  it('shows a failed page inline and lets the reader try again', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(new Response('{"detail":"message not found"}', { status: 404 }))
      .mockResolvedValueOnce(
        new Response(JSON.stringify({ rows: rowsFrom(100, 100), row_offset: 100, stored_row_count: 1000, has_more: true }), { status: 200 }),
      );
    vi.stubGlobal('fetch', fetchMock);
    render(<QueryResultView data={stored()} index={1} source={{ sessionId: 's1', messageId: 'm9' }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Load more rows' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('More rows could not be loaded: message not found');
    expect(screen.getByText(/showing 100 of 1,000/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Load more rows' }));
    await screen.findByText(/showing 200 of 1,000/);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('offers no more rows for a live result, which has no stored copy', () => {
    render(<QueryResultView data={stored({ has_more: undefined, stored_row_count: undefined })} index={1} />);
    expect(screen.queryByRole('button', { name: 'Load more rows' })).toBeNull();
    expect(screen.getByText(/5,000 rows · showing the first 100$/)).toBeTruthy();
  });

  it('explains a byte-limited result, cut values and a partly kept result', () => {
    render(
      <QueryResultView
        data={stored({ truncated_reason: 'bytes', has_more: false, stored_row_count: 100, cut_cells: 3, stored_truncated: true })}
        index={1}
        source={{ sessionId: 's1', messageId: 'm9' }}
      />,
    );
    expect(screen.getByText(/5,000 rows · showing the first 100 rows: the result is larger than can be shown/)).toBeTruthy();
    expect(screen.getByText('3 long values were cut (a cut value ends with “…”).')).toBeTruthy();
    expect(screen.getByText('Only part of this result was kept with the conversation.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more rows' })).toBeNull();
  });

  it('says nothing extra about a whole result', () => {
    render(<QueryResultView data={{ result: rowsFrom(0, 2), is_error: false, columns: ['id'], row_count: 2, cut_cells: 0 }} index={1} />);
    expect(screen.getByText('2 rows')).toBeTruthy();
    expect(screen.queryByText(/cut/)).toBeNull();
    expect(screen.queryByText(/kept with the conversation/)).toBeNull();
  });
});
