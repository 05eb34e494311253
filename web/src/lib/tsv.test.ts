import { describe, expect, it } from 'vitest';
import { toTSV, tsvCell } from './tsv';

describe('TSV for the clipboard', () => {
  it.each([
    ['plain text', 'Paris', 'Paris'],
    ['a number', 12.5, '12.5'],
    ['null is an empty cell', null, ''],
    ['a tab is quoted', 'a\tb', '"a\tb"'],
    ['a line break is quoted', 'a\nb', '"a\nb"'],
    ['quotes are doubled', 'say "hi"', '"say ""hi"""'],
    ['objects as JSON, quoted for their quotes', { a: 1 }, '"{""a"":1}"'],
  ])('%s', (_, value, want) => {
    expect(tsvCell(value)).toBe(want);
  });

  it('joins rows with line breaks and cells with tabs, header first', () => {
    expect(toTSV([[1, 'a'], [2, null]], ['n', 'name'])).toBe('n\tname\n1\ta\n2\t');
  });
});
