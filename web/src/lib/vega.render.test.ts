// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';
import { chartConfig, prepareSpec } from './vega';

type Item = { x?: number; x2?: number; y?: number; y2?: number; width?: number; height?: number; items?: Scene[] };
type Scene = { marktype: string; role?: string; items: Item[] };

/** Every leaf mark item of a rendered view. */
function markItems(scene: Scene, out: { type: string; item: Item }[] = []) {
  for (const item of scene.items ?? []) {
    if (scene.role === 'mark') out.push({ type: scene.marktype, item });
    for (const child of item.items ?? []) markItems(child, out);
  }
  return out;
}

const quiet = () => {};
const silent = { level: () => silent, error: quiet, warn: quiet, info: quiet, debug: quiet };

async function render(spec: Record<string, unknown>, dark = false) {
  const full = { ...prepareSpec(spec), width: 500 } as TopLevelSpec;
  const vg = compile(full, { config: chartConfig(dark) as never, logger: silent as never }).spec;
  // The same path the browser takes: AST + interpreter, no eval.
  const view = new View(parse(vg, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter as never });
  await view.runAsync();
  const marks = markItems((view.scenegraph() as unknown as { root: Scene }).root);
  view.finalize();
  return marks;
}

const values = [
  { region: 'North', price: 139.2, bin_start: 50, bin_end: 60, rows: 10, month: '2024-01-01', n: 3 },
  { region: 'South', price: 99.9, bin_start: 60, bin_end: 70, rows: 14, month: '2024-02-01', n: 5 },
  { region: 'East', price: 120.1, bin_start: 70, bin_end: 80, rows: 7, month: '2024-03-01', n: 4 },
];

describe('charts drawn with our theme', () => {
  it.each([
    ['bars', { mark: 'bar', encoding: { y: { field: 'region', type: 'nominal' }, x: { field: 'price', type: 'quantitative' } } }],
    [
      'a histogram of pre-binned data',
      {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'bin_start', type: 'quantitative', bin: { binned: true } },
          x2: { field: 'bin_end' },
          y: { field: 'rows', type: 'quantitative' },
        },
      },
    ],
    ['a heatmap', { mark: 'rect', encoding: { x: { field: 'region', type: 'nominal' }, y: { field: 'month', type: 'ordinal' }, color: { field: 'n', type: 'quantitative' } } }],
  ])('gives %s a visible size', async (_, spec) => {
    for (const dark of [false, true]) {
      const marks = await render({ data: { values }, ...spec }, dark);
      const rects = marks.filter((m) => m.type === 'rect');
      expect(rects.length).toBe(3);
      for (const { item } of rects) {
        const w = item.width ?? Math.abs((item.x2 ?? 0) - (item.x ?? 0));
        const h = item.height ?? Math.abs((item.y2 ?? 0) - (item.y ?? 0));
        expect(w).toBeGreaterThan(1);
        expect(h).toBeGreaterThan(1);
      }
    }
  });

  it('draws lines and points over time', async () => {
    const marks = await render({
      data: { values },
      layer: [{ mark: 'line' }, { mark: 'point' }],
      encoding: { x: { field: 'month', type: 'temporal' }, y: { field: 'n', type: 'quantitative' } },
    });
    expect(marks.some((m) => m.type === 'line')).toBe(true);
    expect(marks.filter((m) => m.type === 'symbol')).toHaveLength(3);
  });

  it('refuses data from a URL', async () => {
    const { refusingLoader } = await import('./vega');
    const errors: string[] = [];
    const noop = () => {};
    const record = (...args: unknown[]) => errors.push(args.map(String).join(' '));
    const logger = { level: () => logger, error: record, warn: record, info: noop, debug: noop };
    const vg = compile({ data: { url: 'https://example.com/x.csv' }, mark: 'bar' } as TopLevelSpec).spec;
    const view = new View(parse(vg, undefined, { ast: true }), {
      renderer: 'none',
      expr: expressionInterpreter as never,
      loader: refusingLoader() as never,
      logger: logger as never,
    });
    await view.runAsync();
    expect(view.data('source_0')).toEqual([]);
    view.finalize();
    expect(errors.join('\n')).toMatch(/Loading external resources is disabled/);
  });
});
