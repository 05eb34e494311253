import { render, screen } from '@testing-library/react';
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
