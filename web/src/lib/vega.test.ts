// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { expressionInterpreter } from 'vega-interpreter';
import { embedOptions, prepareSpec, refusingLoader } from './vega';

describe('vega setup', () => {
  it('runs without eval and offers only PNG/SVG export', () => {
    const o = embedOptions('Average price by region');
    expect(o.ast).toBe(true);
    expect(o.expr).toBe(expressionInterpreter);
    expect(o.actions).toEqual({ export: { svg: true, png: true }, source: false, compiled: false, editor: false });
    expect(o.downloadFileName).toBe('average-price-by-region');
  });

  it('refuses to load any URL', async () => {
    const l = refusingLoader();
    await expect(l.load('https://example.com/data.csv')).rejects.toThrow(/disabled/);
    await expect(l.sanitize('/api/sessions')).rejects.toThrow(/disabled/);
    await expect(l.http('x')).rejects.toThrow();
    await expect(l.file('/etc/passwd')).rejects.toThrow();
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
