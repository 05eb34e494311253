import { afterEach, describe, expect, it, vi } from 'vitest';
import { tokenStore } from './api';
import { dataExportPath, downloadExport, filenameFrom, resultExportPath } from './exports';

afterEach(() => vi.unstubAllGlobals());

describe('exports', () => {
  it('names the server endpoints', () => {
    expect(resultExportPath('s 1', 'm', 'parquet', 'Rain per month')).toBe(
      '/api/sessions/s%201/messages/m/export?format=parquet&caption=Rain+per+month',
    );
    expect(dataExportPath('s', 'csv')).toBe('/api/sessions/s/data/export?format=csv');
  });

  it("takes the server's UTF-8 file name", () => {
    expect(filenameFrom(`attachment; filename="Caf_ - x.csv"; filename*=UTF-8''Caf%C3%A9%20-%20x.csv`, 'f')).toBe('Café - x.csv');
    expect(filenameFrom('attachment; filename="plain.csv"', 'f')).toBe('plain.csv');
    expect(filenameFrom(null, 'fallback.csv')).toBe('fallback.csv');
  });

  it('sends the token and saves the file; an error answer carries the server words', async () => {
    tokenStore.set('tok');
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => {} }));
    const fetch = vi.fn(async () => new Response('a,b\n1,2\n', { headers: { 'Content-Disposition': `attachment; filename*=UTF-8''r%C3%A9sult.csv` } }));
    vi.stubGlobal('fetch', fetch);
    expect(await downloadExport('/api/x', 'f.csv')).toBe('résult.csv');
    expect(fetch).toHaveBeenCalledWith('/api/x', expect.objectContaining({ headers: { Authorization: 'Bearer tok' } }));
    expect(clicks).toEqual(['résult.csv']);

    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ detail: 'the result has more than 10 rows' }), { status: 413 })));
    await expect(downloadExport('/api/x', 'f.csv')).rejects.toThrow('the result has more than 10 rows');
  });
});
