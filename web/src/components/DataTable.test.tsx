import { fireEvent, render, screen, within } from '@testing-library/react';
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

describe('DataTable controls', () => {
  const cities = [
    { city: 'Paris', n: 12, note: 'big' },
    { city: 'Lyon', n: 3, note: null },
    { city: 'Nice', n: 7, note: 'sea\tside' },
    { city: 'Brest', n: 20, note: 'rain' },
  ];
  const cols = [
    { name: 'city', type: 'VARCHAR' },
    { name: 'n', type: 'BIGINT' },
    { name: 'note', type: 'VARCHAR' },
  ];
  function firstColumn(region: HTMLElement, i = 1): string[] {
    return [...region.querySelectorAll('tbody tr:not(.pad)')].map((tr) => (tr.children[i] as HTMLElement).textContent ?? '');
  }
  let written: string[] = [];
  beforeAll(() => {
    Object.defineProperty(window, 'isSecureContext', { configurable: true, value: true });
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (t: string) => void written.push(t) },
    });
  });

  it('shows amounts with separators and years as digits, and keeps the exact value in the title', () => {
    const rows = [
      { year: 2013, revenue: 1234567.891, n: 12000 },
      { year: 2014, revenue: 98.5, n: 7 },
    ];
    render(
      <DataTable
        label="Result"
        rows={rows}
        columns={[
          { name: 'year', type: 'BIGINT' },
          { name: 'revenue', type: 'DOUBLE' },
          { name: 'n', type: 'BIGINT' },
        ]}
      />,
    );
    const region = screen.getByRole('region', { name: 'Result' });
    const first = region.querySelector('tbody tr:not(.pad)')!;
    const cells = Array.from(first.querySelectorAll('td')).map((td) => td.textContent);
    expect(cells.slice(1, 4)).toEqual(['2013', '1,234,567.89', '12,000']);
    expect(within(region).getByText('1,234,567.89').getAttribute('title') ?? '').toContain('1234567.891');
  });

  it('sorts by a header: numbers descending first, then ascending, then back to the original order', () => {
    render(<DataTable label="Result" rows={cities} columns={cols} toolbar />);
    const region = screen.getByRole('region', { name: 'Result' });
    const sortN = screen.getByRole('button', { name: 'Sort by n' });
    fireEvent.click(sortN);
    expect(firstColumn(region, 2)).toEqual(['20', '12', '7', '3']);
    expect(region.querySelector('th[aria-sort="descending"]')?.textContent).toContain('n');
    fireEvent.click(screen.getByRole('button', { name: /Sort by n, sorted descending/ }));
    expect(firstColumn(region, 2)).toEqual(['3', '7', '12', '20']);
    fireEvent.click(screen.getByRole('button', { name: /Sort by n, sorted ascending/ }));
    expect(firstColumn(region)).toEqual(['Paris', 'Lyon', 'Nice', 'Brest']);
    fireEvent.click(screen.getByRole('button', { name: 'Sort by city' }));
    expect(firstColumn(region)).toEqual(['Brest', 'Lyon', 'Nice', 'Paris']);
    // Row numbers follow their rows.
    expect(firstColumn(region, 0)).toEqual(['4', '2', '3', '1']);
  });

  it('filters rows on any cell and says how many match', () => {
    render(<DataTable label="Result" rows={cities} columns={cols} toolbar />);
    const region = screen.getByRole('region', { name: 'Result' });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter rows of Result' }), { target: { value: 'RAI' } });
    expect(firstColumn(region)).toEqual(['Brest']);
    expect(screen.getByText('1 of 4 rows match')).toBeTruthy();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter rows of Result' }), { target: { value: 'zzz' } });
    expect(screen.getByText('No row contains “zzz”.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filter' }));
    expect(firstColumn(region)).toHaveLength(4);
  });

  it('resizes a column by dragging its edge and resets it on double-click', () => {
    render(<DataTable label="Result" rows={cities} columns={cols} />);
    const region = screen.getByRole('region', { name: 'Result' });
    const width = () => (region.querySelectorAll('col')[1] as HTMLElement).style.width;
    const before = width();
    const handle = screen.getByRole('separator', { name: 'Resize city' });
    fireEvent.mouseDown(handle, { clientX: 100 });
    fireEvent.mouseMove(document, { clientX: 180 });
    fireEvent.mouseUp(document, { clientX: 180 });
    expect(parseInt(width())).toBe(parseInt(before) + 80);
    fireEvent.doubleClick(handle);
    expect(width()).toBe(before);
  });

  it('copies a cell, a selection, a row and a column as TSV', async () => {
    render(<DataTable label="Result" rows={cities} columns={cols} toolbar />);
    const region = screen.getByRole('region', { name: 'Result' });
    const cell = (r: number, c: number) => region.querySelectorAll('tbody tr:not(.pad)')[r].children[c] as HTMLElement;
    written = [];
    // One cell: its value alone.
    fireEvent.mouseDown(cell(2, 3));
    fireEvent.mouseUp(document);
    fireEvent.keyDown(region, { key: 'c', ctrlKey: true });
    await screen.findByText('Copied 1 cell');
    expect(written.at(-1)).toBe('"sea\tside"');
    // A dragged rectangle: its cells with their column names.
    fireEvent.mouseDown(cell(0, 1));
    fireEvent.mouseEnter(cell(1, 2));
    fireEvent.mouseUp(document);
    expect(cell(1, 2).getAttribute('aria-selected')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Copy 4 cells' }));
    await screen.findByText('Copied 4 cells');
    expect(written.at(-1)).toBe('city\tn\nParis\t12\nLyon\t3');
    // A row, picked by its number.
    fireEvent.mouseDown(cell(3, 0));
    fireEvent.click(await screen.findByRole('button', { name: 'Copy 3 cells' }));
    await screen.findByText('Copied 3 cells');
    expect(written.at(-1)).toBe('city\tn\tnote\nBrest\t20\train');
    // The whole column of a selected cell.
    fireEvent.mouseDown(cell(0, 2));
    fireEvent.mouseUp(document);
    fireEvent.click(await screen.findByRole('button', { name: 'Columns' }));
    await screen.findByText('Copied 1 column');
    expect(written.at(-1)).toBe('n\n12\n3\n7\n20');
    // The whole rows of a selected cell.
    fireEvent.mouseDown(cell(1, 1));
    fireEvent.mouseUp(document);
    fireEvent.click(await screen.findByRole('button', { name: 'Rows' }));
    await screen.findByText('Copied 1 row');
    expect(written.at(-1)).toBe('city\tn\tnote\nLyon\t3\t');
  });
});
