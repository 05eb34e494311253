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

describe('Chart this', () => {
  const proposal = (mark: string) => ({
    title: 'Orders per region',
    mark,
    marks: ['bar', 'point'],
    rows: 2,
    row_count: 2,
    vega_lite_spec: { mark, data: { values: [{ region: 'North', orders: 3 }, { region: 'South', orders: 5 }] }, encoding: {} },
  });
  const result: QueryResult = {
    result: [
      { region: 'North', orders: 3 },
      { region: 'South', orders: 5 },
    ],
    is_error: false,
    columns: ['region', 'orders'],
    row_count: 2,
    sql: 'SELECT region, count(*) AS orders FROM data GROUP BY 1',
  };

  it('asks the server for a chart, switches its mark and exports its data and spec', async () => {
    const fetchMock = vi
      .fn()
      .mockImplementation((url: string) =>
        Promise.resolve(new Response(JSON.stringify(proposal(url.includes('mark=point') ? 'point' : 'bar')), { status: 200 })),
      );
    vi.stubGlobal('fetch', fetchMock);
    const saved: { name: string; blob: Blob }[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (b: Blob) => (saved.push({ name: '', blob: b }), 'blob:x'), revokeObjectURL: () => {} }));
    const clicks = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved[saved.length - 1].name = this.download;
    });
    render(<QueryResultView data={result} index={1} source={{ sessionId: 's1', messageId: 'm1' }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Chart this' }));
    const group = await screen.findByRole('group', { name: 'Chart type' });
    expect(fetchMock.mock.calls[0][0]).toBe('/api/sessions/s1/messages/m1/chart');
    expect(screen.getByRole('button', { name: 'Bar' }).getAttribute('aria-pressed')).toBe('true');
    expect(group.textContent).toBe('BarPoint');

    fireEvent.click(screen.getByRole('button', { name: 'Point' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Point' }).getAttribute('aria-pressed')).toBe('true'));
    expect(fetchMock.mock.calls[1][0]).toBe('/api/sessions/s1/messages/m1/chart?mark=point');

    fireEvent.click(screen.getByRole('button', { name: 'Save the data as CSV' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save the spec as JSON' }));
    expect(saved.map((s) => s.name)).toEqual(['orders-per-region.csv', 'orders-per-region.vl.json']);
    const text = (b: Blob) =>
      new Promise<string>((res) => {
        const r = new FileReader();
        r.onload = () => res(String(r.result).replace(/^\ufeff/, ''));
        r.readAsText(b);
      });
    expect(await text(saved[0].blob)).toBe('region,orders\r\nNorth,3\r\nSouth,5\r\n');
    expect(JSON.parse(await text(saved[1].blob)).mark).toBe('point');
    expect(screen.getByRole('button', { name: 'Save as PNG' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save as SVG' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Close the chart' }));
    expect(screen.queryByRole('group', { name: 'Chart type' })).toBeNull();
    clicks.mockRestore();
  });

  it('finds a live result’s stored copy first, and says why a chart cannot be made', async () => {
    const fetchMock = vi.fn().mockResolvedValue(new Response(JSON.stringify({ detail: 'This result has no column a chart can show.' }), { status: 400 }));
    vi.stubGlobal('fetch', fetchMock);
    const resolveSource = vi.fn().mockResolvedValue({ sessionId: 's1', messageId: 'm7' });
    render(<QueryResultView data={result} index={1} resolveSource={resolveSource} />);
    fireEvent.click(screen.getByRole('button', { name: 'Chart this' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This result has no column a chart can show.');
    expect(resolveSource).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0][0]).toBe('/api/sessions/s1/messages/m7/chart');
  });
});

describe('Download CSV', () => {
  it('without a stored copy to export, is offered only when the rows on the page are the whole result', () => {
    const whole: QueryResult = { result: [{ id: 1 }], is_error: false, columns: ['id'], row_count: 1, sql: 'SELECT 1 AS id' };
    const { unmount } = render(<QueryResultView data={whole} index={1} />);
    expect(screen.getByRole('button', { name: /Download CSV/ })).toBeTruthy();
    unmount();
    render(<QueryResultView data={{ ...whole, row_count: 5000, truncated: true }} index={2} />);
    expect(screen.queryByRole('button', { name: /Download CSV/ })).toBeNull();
  });
});
