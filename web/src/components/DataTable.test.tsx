import { render, screen, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// jsdom has no layout: give the scroll box the size a browser would.
const sizes = { clientHeight: 360, clientWidth: 800 };
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
import { DataTable } from './DataTable';

describe('DataTable', () => {
  it('shows names and types in the header and renders only the rows in view', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ id: i, name: `row ${i}`, score: i / 3, note: i % 7 ? 'x' : null }));
    render(
      <DataTable
        label="Data preview"
        rows={rows}
        columns={[
          { name: 'id', type: 'BIGINT' },
          { name: 'name', type: 'VARCHAR' },
          { name: 'score', type: 'DOUBLE' },
          { name: 'note', type: 'VARCHAR' },
        ]}
      />,
    );
    const region = screen.getByRole('region', { name: 'Data preview' });
    const headers = within(region).getAllByRole('columnheader');
    expect(headers.map((h) => h.textContent)).toEqual(['Row#', 'idbigint', 'namevarchar', 'scoredouble', 'notevarchar']);
    const bodyRows = region.querySelectorAll('tbody tr:not(.pad)');
    expect(bodyRows.length).toBeGreaterThan(5);
    expect(bodyRows.length).toBeLessThan(60);
    expect(within(bodyRows[0] as HTMLElement).getAllByRole('cell').map((c) => c.textContent)).toEqual(['1', '0', 'row 0', '0', 'null']);
    expect(region.querySelector('td.null')).not.toBeNull();
    expect(region.querySelector('th.num')?.textContent).toContain('id');
  });
});
