// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { resultColumns, slugify, toCSV } from './csv';

describe('toCSV', () => {
  it('writes a header and rows in column order with CRLF', () => {
    expect(toCSV(['b', 'a'], [{ a: 1, b: 'x' }, { a: 2.5, b: 'y' }])).toBe('b,a\r\nx,1\r\ny,2.5\r\n');
  });

  it('quotes commas, quotes, newlines and edge spaces (RFC 4180)', () => {
    const csv = toCSV(['t'], [{ t: 'a,b' }, { t: 'say "hi"' }, { t: 'two\nlines' }, { t: ' pad ' }]);
    expect(csv).toBe('t\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n" pad "\r\n');
  });

  it('writes nulls as empty and objects as JSON', () => {
    expect(toCSV(['a', 'b', 'c'], [{ a: null, c: { x: [1] } }])).toBe('a,b,c\r\n,,"{""x"":[1]}"\r\n');
  });

  it('defuses spreadsheet formulas in text but keeps negative numbers', () => {
    const csv = toCSV(['v'], [{ v: '=HYPERLINK("x")' }, { v: '+1' }, { v: '@SUM(A1)' }, { v: '-5' }, { v: -5 }, { v: '-x' }]);
    expect(csv.split('\r\n').slice(1, -1)).toEqual([`"'=HYPERLINK(""x"")"`, "'+1", "'@SUM(A1)", '-5', '-5', "'-x"]);
  });
});

describe('resultColumns', () => {
  it('prefers declared columns, else the keys of the rows', () => {
    expect(resultColumns(['x'], [{ y: 1 }])).toEqual(['x']);
    expect(resultColumns(undefined, [{ a: 1 }, { a: 2, b: 3 }])).toEqual(['a', 'b']);
    expect(resultColumns([], [])).toEqual([]);
  });
});

describe('slugify', () => {
  it('makes safe file names', () => {
    expect(slugify('SELECT region, AVG(price) FROM data')).toBe('select-region-avgprice-from-data');
    expect(slugify('***', 'chart')).toBe('chart');
  });
});
