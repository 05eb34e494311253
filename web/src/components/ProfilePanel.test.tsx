import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../lib/api';
import type { Profile } from '../lib/types';
import { ProfilePanel } from './ProfilePanel';

afterEach(() => vi.restoreAllMocks());

describe('ProfilePanel', () => {
  it('marks estimates with ≈ and writes years without separators', async () => {
    const profile: Profile = {
      version: 2,
      row_count: 3_000_000,
      duplicate_rows: 0,
      columns: [
        { name: 'origin', type: 'VARCHAR', class: 'categorical', null_count: 0, distinct_approx: 254, distinct: { value: 254, approx: true }, top_values: [{ value: 'ATL', count: 151234 }] },
        { name: 'year', type: 'BIGINT', class: 'categorical', null_count: 0, distinct_approx: 4, distinct: { value: 4, approx: false }, min: 2012, max: 2015, mean: 2013.4, number_role: 'label' },
        { name: 'temp_max', type: 'DOUBLE', class: 'numeric', null_count: 30, distinct_approx: 500, distinct: { value: 500, approx: true }, min: -5.2, max: 39.1, mean: 15.9, q50: 15.52, median: { value: 15.52, approx: true }, number_role: 'amount' },
      ],
    };
    vi.spyOn(api, 'profile').mockResolvedValue(profile);
    render(<ProfilePanel sessionId="approx-test" rowCount={3_000_000} />);
    expect(await screen.findByText('≈ 254')).toBeTruthy();
    expect(screen.getByText('4')).toBeTruthy(); // exact
    expect(screen.getByText('2012')).toBeTruthy();
    expect(screen.getByText('2015')).toBeTruthy();
    expect(screen.queryByText('2,012')).toBeNull();
    expect(screen.getByText('2013.4')).toBeTruthy();
    expect(screen.getByText('≈ 15.52')).toBeTruthy();
    expect(screen.getByText('151,234')).toBeTruthy();
  });
});

describe('ProfilePanel numbers read from text cells', () => {
  it('writes a duration column\'s statistics as lengths of time and a unit column\'s with its unit', async () => {
    const profile: Profile = {
      row_count: 12,
      columns: [
        { name: 'Length', type: 'VARCHAR', class: 'numeric', null_count: 0, distinct: { value: 12, approx: false }, min: 98, max: 404, mean: 265, median: { value: 250.5, approx: false }, duration: true },
        { name: 'Elevation', type: 'VARCHAR', class: 'numeric', null_count: 0, distinct: { value: 12, approx: false }, min: 10080, max: 14505, mean: 13000, unit: 'ft' },
      ],
    };
    vi.spyOn(api, 'profile').mockResolvedValue(profile);
    vi.spyOn(api, 'profileBins').mockResolvedValue({ columns: [] });
    render(<ProfilePanel sessionId="text-cells" rowCount={12} />);
    expect(await screen.findByText('1:38')).toBeTruthy();
    expect(screen.getByText('6:44')).toBeTruthy();
    expect(screen.getByText('4:25')).toBeTruthy();
    expect(screen.getByText('4:10.5')).toBeTruthy();
    expect(screen.queryByText('404')).toBeNull();
    expect(screen.getByText('10,080 ft')).toBeTruthy();
    expect(screen.getByText('14,505 ft')).toBeTruthy();
  });
});

describe('ProfilePanel after a change of data', () => {
  it('shows the new version\'s profile, not the one cached for the session', async () => {
    const before: Profile = { row_count: 10, columns: [{ name: 'n', type: 'BIGINT', class: 'numeric', null_count: 0, distinct: { value: 10, approx: false }, min: 1, max: 654 }] };
    const after: Profile = { row_count: 7, columns: [{ name: 'n', type: 'BIGINT', class: 'numeric', null_count: 0, distinct: { value: 7, approx: false }, min: 4, max: 987 }] };
    const spy = vi.spyOn(api, 'profile').mockResolvedValueOnce(before).mockResolvedValueOnce(after);
    vi.spyOn(api, 'profileBins').mockResolvedValue({ columns: [] });
    const view = render(<ProfilePanel sessionId="changed" dataKey="v1" rowCount={10} />);
    expect(await screen.findByText('654')).toBeTruthy();
    view.rerender(<ProfilePanel sessionId="changed" dataKey="v2" rowCount={7} />);
    expect(await screen.findByText('987')).toBeTruthy();
    expect(screen.queryByText('654')).toBeNull();
    expect(spy).toHaveBeenCalledTimes(2);
    // Back to the first version (an undo): its profile is still known.
    view.rerender(<ProfilePanel sessionId="changed" dataKey="v1" rowCount={10} />);
    expect(await screen.findByText('654')).toBeTruthy();
    expect(screen.queryByText('987')).toBeNull();
    expect(spy).toHaveBeenCalledTimes(2);
  });
});

describe('ProfilePanel findings', () => {
  it('lists the findings as the analysts say them, alerts first, estimates marked, each with its SQL', async () => {
    const profile: Profile = {
      row_count: 366,
      columns: [{ name: 'wind', type: 'DOUBLE', class: 'numeric', null_count: 3 }],
      findings: [
        { kind: 'categories', alert: false, columns: ['origin'], text: '"origin" has about 229 values; the most common: “ATL” 5%.', sql: 'SELECT origin FROM data', approx: true },
        { kind: 'missing', alert: true, columns: ['wind'], text: '"wind" is missing (NULL) in 3 of 366 rows (0.8%).', sql: 'SELECT count(*) - count("wind") AS missing, count(*) AS total FROM data' },
      ],
    };
    vi.spyOn(api, 'profile').mockResolvedValue(profile);
    render(<ProfilePanel sessionId="findings-test" rowCount={366} />);
    const list = await screen.findByRole('list', { name: 'Findings' });
    const items = list.querySelectorAll('li');
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain('"wind" is missing (NULL) in 3 of 366 rows (0.8%).');
    expect(items[0].className).toBe('alert');
    expect(items[1].textContent).toContain('about 229 values');
    expect(items[1].textContent).toContain('≈ estimate');
    expect(items[0].querySelector('code')?.textContent).toBe('SELECT count(*) - count("wind") AS missing, count(*) AS total FROM data');
  });
});

describe('ProfilePanel minis', () => {
  const profile: Profile = {
    row_count: 100,
    columns: [
      { name: 'price', type: 'DOUBLE', class: 'numeric', null_count: 0, distinct: { value: 90, approx: false }, min: 1, max: 9, mean: 5, stddev: 2.5, median: { value: 5, approx: false } },
      { name: 'region', type: 'VARCHAR', class: 'categorical', null_count: 0, distinct: { value: 2, approx: false }, top_values: [{ value: 'North', count: 60 }, { value: 'South', count: 40 }] },
      { name: 'day', type: 'DATE', class: 'temporal', null_count: 0, distinct: { value: 31, approx: false }, min: '2024-01-01', max: '2024-01-31', granularity: 'day', date_range: { from: '2024-01-01', to: '2024-01-31' } },
    ],
  };
  const bins = {
    columns: [
      { name: 'price', scale: 'number' as const, bins: [{ start: 1, end: 5, count: 70 }, { start: 5, end: 9, count: 30 }] },
      { name: 'day', scale: 'time' as const, bins: [{ start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 0, 16), count: 50 }, { start: Date.UTC(2024, 0, 16), end: Date.UTC(2024, 0, 31), count: 50 }] },
    ],
  };

  it('draws a histogram or a top-values bar per column, with human labels and readable dates, and asks about a column', async () => {
    vi.spyOn(api, 'profile').mockResolvedValue(profile);
    const binsCall = vi.spyOn(api, 'profileBins').mockResolvedValue(bins);
    const asked: string[] = [];
    render(<ProfilePanel sessionId="minis-test" rowCount={100} onAsk={(q) => asked.push(q)} />);
    const hist = await screen.findByRole('img', { name: 'Distribution of price' }, { timeout: 8000 });
    expect(hist.querySelectorAll('rect')).toHaveLength(2);
    expect(hist.querySelector('title')?.textContent).toBe('1 – 5: 70');
    expect(screen.getByRole('img', { name: 'Distribution of day' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Most common values of region' }).children).toHaveLength(2);
    expect(binsCall).toHaveBeenCalledTimes(1);
    // Human labels, no abbreviations.
    expect(screen.getByText('standard deviation')).toBeTruthy();
    expect(screen.queryByText('sd')).toBeNull();
    // Dates as people write them.
    expect(screen.queryByText('2024-01-01')).toBeNull();
    expect(screen.getAllByText(/2024/).some((el) => /Jan/.test(el.textContent ?? ''))).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Ask about price' }));
    fireEvent.click(screen.getByRole('button', { name: 'Ask about region' }));
    expect(asked).toEqual(['What is the distribution of price?', 'What are the most common values of region?']);
  });
});

describe('formatWhen', () => {
  it.each([
    ['a date', '2024-03-05', 'day', /5 Mar 2024|Mar 5, 2024/],
    ['a month', '2024-03-01', 'month', /Mar 2024/],
    ['a year', '2024-01-01', 'year', /^2024$/],
    ['a timestamp keeps its time', '2024-03-05 14:07:00', 'minute', /14:07|2:07/],
    ['not a date stays as written', 'soon', undefined, /^soon$/],
  ])('%s', async (_, value, granularity, want) => {
    const { formatWhen } = await import('./ProfilePanel');
    expect(formatWhen(value, granularity)).toMatch(want);
  });
});

describe('ProfilePanel estimated bins', () => {
  it('marks counts estimated from a sample with ≈', async () => {
    vi.spyOn(api, 'profile').mockResolvedValue({ row_count: 5_000_000, columns: [{ name: 'n', type: 'DOUBLE', class: 'numeric', null_count: 0, min: 0, max: 2 }] });
    vi.spyOn(api, 'profileBins').mockResolvedValue({ columns: [{ name: 'n', scale: 'number', approx: true, bins: [{ start: 0, end: 1, count: 2_500_123 }] }] });
    render(<ProfilePanel sessionId="approx-bins" rowCount={5_000_000} />);
    const hist = await screen.findByRole('img', { name: 'Distribution of n' }, { timeout: 8000 });
    expect(hist.querySelector('title')?.textContent).toMatch(/^0 – 1: ≈ /);
  });
});
