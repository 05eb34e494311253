// @vitest-environment node
import { describe, expect, it } from 'vitest';
import cases from '../../../numfmt/testdata/cases.json';
import durations from '../../../duck/testdata/durations.json';
import {
  about,
  approx,
  columnRole,
  dateGroup,
  formatBytes,
  formatCell,
  formatCount,
  formatDuration,
  formatMeasure,
  formatNumberCell,
  formatPercent,
  formatStat,
  formatTimeLength,
  formatValue,
  numberRole,
  typeKind,
} from './format';

type Case = { fn: string; value: number; name?: string; identifier?: boolean; min?: number; max?: number; want: string };

// The server's numfmt runs the same cases: the UI and the server write numbers alike.
describe('shared number cases (numfmt/testdata/cases.json)', () => {
  it.each(cases as Case[])('$fn($value, $name) = $want', (c) => {
    let got: string;
    switch (c.fn) {
      case 'count':
        got = formatCount(c.value);
        break;
      case 'number':
        got = formatMeasure(c.value);
        break;
      case 'percent':
        got = formatPercent(c.value);
        break;
      case 'column':
        got = formatValue(c.value, numberRole(c.name ?? '', c.identifier ?? false, c.min ?? c.value, c.max ?? c.value, Number.isInteger(c.value)));
        break;
      case 'label':
        got = formatValue(c.value, 'label');
        break;
      case 'about':
        got = about(formatMeasure(c.value));
        break;
      case 'approx':
        got = approx(formatMeasure(c.value));
        break;
      default:
        throw new Error(`unknown fn ${c.fn}`);
    }
    expect(got).toBe(c.want);
  });

  it('keeps years whole with a label role', () => {
    expect(formatStat(2014, 'label')).toBe('2014');
    expect(formatStat(2014)).toBe('2,014');
  });
});

describe('format', () => {
  it('formats bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(48 * 1024 * 1024)).toBe('48 MB');
    expect(formatBytes(1_073_741_824)).toBe('1 GB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
  });

  it('formats table cells by their column: amounts with separators, years and IDs as digits', () => {
    expect(columnRole('revenue', [1234567.891, 2.5])).toBe('amount');
    expect(columnRole('year', [1998, 2014])).toBe('label');
    expect(columnRole('year(order_date)', [2012, 2015])).toBe('label');
    expect(columnRole('customer_id', [1000001, 1000002])).toBe('label');
    expect(columnRole('count_star()', [1461, 12])).toBe('amount');
    expect(columnRole('year', [1.5, 2.5])).toBe('amount'); // not years
    expect(formatNumberCell(1234567.891, 'amount')).toBe('1,234,567.89');
    expect(formatNumberCell(1461, 'amount')).toBe('1,461');
    expect(formatNumberCell(2014, 'label')).toBe('2014');
    expect(formatNumberCell(12345678901234567, 'label')).toBe('12345678901234568');
    expect(formatNumberCell(0.000012, 'amount')).toBe('1.20e-5');
    expect(formatNumberCell(null, 'amount')).toBe('null');
  });

  it('formats statistics and cells', () => {
    expect(formatStat(1234567)).toBe('1,234,567');
    expect(formatStat(3.14159265)).toBe('3.142');
    expect(formatStat(0.123456)).toBe('0.1235');
    expect(formatStat(1234.5678)).toBe('1,234.57');
    expect(formatStat(0.00001234)).toBe('1.23e-5');
    expect(formatStat(null)).toBe('—');
    expect(formatCell(null)).toBe('null');
    expect(formatCell(0.1 + 0.2)).toBe('0.3');
    expect(formatCell({ a: 1 })).toBe('{"a":1}');
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(1530)).toBe('1.53 s');
  });

  it('classifies DuckDB types', () => {
    expect(typeKind('BIGINT')).toBe('number');
    expect(typeKind('DECIMAL(18,3)')).toBe('number');
    expect(typeKind('TIMESTAMP WITH TIME ZONE')).toBe('date');
    expect(typeKind('VARCHAR')).toBe('text');
    expect(typeKind('BOOLEAN')).toBe('bool');
    expect(typeKind('STRUCT(a INTEGER)')).toBe('other');
  });

  it('groups dates like a chat sidebar', () => {
    const now = new Date(2026, 4, 20, 12);
    expect(dateGroup(new Date(2026, 4, 20, 1).toISOString(), now)).toBe('Today');
    expect(dateGroup(new Date(2026, 4, 19, 23).toISOString(), now)).toBe('Yesterday');
    expect(dateGroup(new Date(2026, 4, 15).toISOString(), now)).toBe('Previous 7 days');
    expect(dateGroup(new Date(2026, 3, 25).toISOString(), now)).toBe('Previous 30 days');
    expect(dateGroup(new Date(2025, 0, 1).toISOString(), now)).toBe('Older');
    expect(dateGroup('garbage', now)).toBe('Older');
  });
});

// duck.FormatDuration runs the same cases: the Profile tab writes a length of time as the analyst does.
describe('shared duration cases (duck/testdata/durations.json)', () => {
  it.each(durations as { seconds: number; want: string }[])('formatTimeLength($seconds) = $want', (c) => {
    expect(formatTimeLength(c.seconds)).toBe(c.want);
  });
});
