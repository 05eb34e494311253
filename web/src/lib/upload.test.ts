// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { checkUpload, DEFAULT_MAX_UPLOAD, extensionOf } from './upload';

describe('checkUpload', () => {
  it.each(['sales.csv', 'SALES.CSV', 'data.parquet', 'x.PQ', 'archive.2024.csv'])('accepts %s', (name) => {
    expect(checkUpload({ name, size: 10 })).toBeNull();
  });

  it.each([
    ['notes.txt', /“\.txt” files can't be analyzed/],
    ['data.xlsx', /CSV or Parquet/],
    ['README', /without an extension/],
    ['data.csv.gz', /“\.gz”/],
  ])('refuses %s', (name, msg) => {
    expect(checkUpload({ name, size: 10 })).toMatch(msg);
  });

  it('refuses empty files', () => {
    expect(checkUpload({ name: 'a.csv', size: 0 })).toMatch(/empty/);
  });

  it('refuses files over the limit, in readable units', () => {
    expect(checkUpload({ name: 'big.csv', size: 2 * DEFAULT_MAX_UPLOAD })).toBe('“big.csv” is 2 GB, more than the 1 GB limit.');
    expect(checkUpload({ name: 'big.csv', size: 6 * 1024 * 1024 }, 5 * 1024 * 1024)).toBe('“big.csv” is 6 MB, more than the 5 MB limit.');
    expect(checkUpload({ name: 'ok.csv', size: 5 * 1024 * 1024 }, 5 * 1024 * 1024)).toBeNull();
  });

  it('reads extensions', () => {
    expect(extensionOf('a.b.CSV')).toBe('.csv');
    expect(extensionOf('noext')).toBe('');
  });
});
