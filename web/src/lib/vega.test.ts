// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { expressionInterpreter } from 'vega-interpreter';
import { chartConfig, embedOptions, prepareSpec, refusingLoader, specRows } from './vega';

describe('vega setup', () => {
  it('runs without eval and leaves exports to the chart\'s own buttons', () => {
    const o = embedOptions('Average price by region');
    expect(o.ast).toBe(true);
    expect(o.expr).toBe(expressionInterpreter);
    expect(o.actions).toBe(false);
    expect(o.downloadFileName).toBe('average-price-by-region');
  });

  it('refuses to load any URL', async () => {
    const l = refusingLoader();
    await expect(l.load('https://example.com/data.csv')).rejects.toThrow(/disabled/);
    await expect(l.sanitize('/api/sessions')).rejects.toThrow(/disabled/);
    await expect(l.http('x')).rejects.toThrow();
    await expect(l.file('/etc/passwd')).rejects.toThrow();
  });

  it('puts legends under a narrow chart', () => {
    expect((chartConfig(false, true).legend as { orient?: string }).orient).toBe('bottom');
    expect((chartConfig(false, false).legend as { orient?: string }).orient).toBeUndefined();
  });

  it('reads a chart\'s inline rows', () => {
    expect(specRows({ data: { values: [{ a: 1 }, 2, null] } })).toEqual([{ a: 1 }]);
    expect(specRows({ mark: 'bar' })).toEqual([]);
  });

  it('fits single views to the container and strips embed overrides', () => {
    const spec = prepareSpec({ mark: 'bar', usermeta: { embedOptions: { actions: { editor: true }, ast: false } } });
    expect(spec.width).toBe('container');
    expect(spec.usermeta).toBeUndefined();
    expect(prepareSpec({ hconcat: [] }).width).toBeUndefined();
    expect(prepareSpec({ mark: 'bar', width: 300 }).width).toBe(300);
    expect(prepareSpec({ mark: 'bar' }, 'Sales').title).toBe('Sales');
    expect(prepareSpec({ mark: 'bar', title: 'Own' }, 'Sales').title).toBe('Own');
  });
});
