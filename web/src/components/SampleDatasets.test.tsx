import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SampleDataset } from '../lib/types';
import { SampleDatasets } from './SampleDatasets';

const weather: SampleDataset = {
  id: 'seattle-weather',
  title: 'Seattle weather',
  description: 'Daily weather in Seattle.',
  filename: 'seattle-weather.csv',
  rows: 1461,
  columns: 6,
  size_bytes: 48219,
  source: 'NOAA',
  source_url: 'https://example.org',
  license: 'Public domain',
  questions: [],
};

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

afterEach(() => vi.unstubAllGlobals());

describe('SampleDatasets', () => {
  it('lists the samples and opens one in a click', async () => {
    const upload = { session_id: 's1', file: { filename: 'seattle-weather.csv', row_count: 1461, column_count: 6, columns: [], preview: [] } };
    const fetch = vi.fn(async (url: string, init?: RequestInit) =>
      url === '/api/samples' ? json([weather]) : init?.method === 'POST' && url === '/api/samples/seattle-weather' ? json(upload) : json({ detail: 'no' }, 404),
    );
    vi.stubGlobal('fetch', fetch);
    const onLoaded = vi.fn();
    render(<SampleDatasets onLoaded={onLoaded} />);
    const card = await screen.findByRole('button', { name: /Seattle weather/ });
    expect(card.textContent).toMatch(/1,461 rows × 6 columns · 47\.1 KB · Public domain/);
    await act(async () => {
      fireEvent.click(card);
    });
    expect(onLoaded).toHaveBeenCalledWith(upload);
  });

  it("says why a sample couldn't be opened", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => (url === '/api/samples' ? json([weather]) : json({ detail: 'your storage is used up' }, 413))),
    );
    render(<SampleDatasets onLoaded={vi.fn()} />);
    const card = await screen.findByRole('button', { name: /Seattle weather/ });
    await act(async () => {
      fireEvent.click(card);
    });
    expect(screen.getByRole('alert').textContent).toMatch(/Couldn't open Seattle weather: your storage is used up/);
  });

  it('shows nothing when the server has no samples', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json([])));
    const { container } = render(<SampleDatasets onLoaded={vi.fn()} />);
    await act(async () => {});
    expect(container.textContent).toBe('');
  });
});
