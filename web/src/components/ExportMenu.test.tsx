import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExportMenu } from './ExportMenu';
import { ResultExport } from './ResultExport';

let saved: { name: string; blob: Blob }[] = [];

/** A jsdom Blob's contents (jsdom's Blob has no text() or arrayBuffer()). */
function read(b: Blob, as: 'text' | 'buffer'): Promise<string | ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result as string | ArrayBuffer);
    r.onerror = () => reject(r.error);
    if (as === 'text') r.readAsText(b);
    else r.readAsArrayBuffer(b);
  });
}

beforeEach(() => {
  saved = [];
  const blobs = new Map<string, Blob>();
  let n = 0;
  vi.stubGlobal(
    'URL',
    Object.assign(URL, {
      createObjectURL: (b: Blob) => {
        const u = `blob:${++n}`;
        blobs.set(u, b);
        return u;
      },
      revokeObjectURL: () => {},
    }),
  );
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: blobs.get(this.getAttribute('href')!)! });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const detail = {
  id: 's1',
  title: 'Weather',
  created_at: '2024-01-01T00:00:00Z',
  file: { filename: 'weather.csv', row_count: 2, column_count: 1, columns: ['a'], preview: [] },
  messages: [{ id: 'q', role: 'user', type: 'text', text: 'How many rows?' }],
};

describe('ExportMenu', () => {
  it('saves the report as one HTML file', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(detail))));
    render(<ExportMenu sessionId="s1" filename="weather.csv" />);
    await act(async () => {
      fireEvent.click(screen.getByRole('menuitem', { name: /Report as HTML/ }));
    });
    // The report's code (Vega) is loaded when first asked for.
    await waitFor(() => expect(saved).toHaveLength(1), { timeout: 30_000 });
    expect(saved.map((s) => s.name)).toEqual(['Weather.html']);
    const html = (await read(saved[0].blob, 'text')) as string;
    expect(html).toContain('How many rows?');
    expect(screen.getByRole('status').textContent).toBe('Saved Weather.html');
  }, 30_000);

  it('saves the report as Markdown in a zip', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(detail))));
    render(<ExportMenu sessionId="s1" />);
    await act(async () => {
      fireEvent.click(screen.getByRole('menuitem', { name: /Report as Markdown/ }));
    });
    await waitFor(() => expect(saved).toHaveLength(1), { timeout: 30_000 });
    expect(saved[0].name).toBe('Weather.zip');
    expect(new Uint8Array((await read(saved[0].blob, 'buffer')) as ArrayBuffer).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
  }, 30_000);

  it('asks the server for the dataset, and shows a refusal', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ detail: 'the result has more than 10 rows' }), { status: 413 }));
    vi.stubGlobal('fetch', fetch);
    render(<ExportMenu sessionId="s1" filename="weather.csv" />);
    await act(async () => {
      fireEvent.click(screen.getByRole('menuitem', { name: /Dataset as CSV/ }));
    });
    expect(fetch).toHaveBeenCalledWith('/api/sessions/s1/data/export?format=csv', expect.anything());
    expect(screen.getByRole('alert').textContent).toMatch(/more than 10 rows/);
  });
});

describe('ResultExport', () => {
  it.each(['CSV', 'Parquet', 'JSON'])('asks the server for every row as %s', async (label) => {
    const fetch = vi.fn(async () => new Response('x', { headers: { 'Content-Disposition': `attachment; filename="Weather - rain.${label.toLowerCase()}"` } }));
    vi.stubGlobal('fetch', fetch);
    render(<ResultExport source={{ sessionId: 's1', messageId: 'm1' }} />);
    await act(async () => {
      fireEvent.click(screen.getByRole('menuitem', { name: label }));
    });
    expect(fetch).toHaveBeenCalledWith(`/api/sessions/s1/messages/m1/export?format=${label.toLowerCase()}`, expect.anything());
    expect(saved.map((s) => s.name)).toEqual([`Weather - rain.${label.toLowerCase()}`]);
  });

  it('finds a result shown live among the stored ones', async () => {
    const fetch = vi.fn(async () => new Response('x'));
    vi.stubGlobal('fetch', fetch);
    const resolveSource = vi.fn(async () => ({ sessionId: 's1', messageId: 'm9' }));
    render(<ResultExport resolveSource={resolveSource} />);
    await act(async () => {
      fireEvent.click(screen.getByRole('menuitem', { name: 'CSV' }));
    });
    expect(resolveSource).toHaveBeenCalledOnce();
    expect(fetch).toHaveBeenCalledWith('/api/sessions/s1/messages/m9/export?format=csv', expect.anything());
  });
});
