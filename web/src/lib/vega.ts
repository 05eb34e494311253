import type { EmbedOptions } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { slugify } from './csv';

/**
 * A Vega loader that loads nothing: charts carry their data inline, and a
 * spec that names a URL (data, images) must not make the browser fetch it.
 */
export function refusingLoader() {
  const refuse = (uri?: unknown) =>
    Promise.reject(new Error(`Loading external resources is disabled${typeof uri === 'string' ? ` (${uri})` : ''}.`));
  return {
    options: {},
    load: refuse,
    sanitize: refuse,
    http: refuse,
    file: refuse,
  };
}

const palette = ['#6366f1', '#14b8a6', '#f59e0b', '#ec4899', '#0ea5e9', '#84cc16', '#a855f7', '#ef4444', '#64748b', '#f97316'];

/** Below this width (px) a chart is drawn for a phone: legends under it, shorter labels. */
export const NARROW_CHART = 520;

export function chartConfig(dark: boolean, narrow = false): Record<string, unknown> {
  const text = dark ? '#c9c9d1' : '#52525b';
  const strong = dark ? '#ececf1' : '#18181b';
  const grid = dark ? '#2a2b31' : '#ededf0';
  const domain = dark ? '#45464e' : '#d4d4d8';
  return {
    background: 'transparent',
    font: '"Inter Variable", Inter, ui-sans-serif, system-ui, sans-serif',
    padding: 4,
    view: { stroke: 'transparent', continuousHeight: 260, discreteHeight: { step: 34 } },
    scale: { bandPaddingInner: 0.28, bandPaddingOuter: 0.14 },
    title: { color: strong, fontSize: 14, fontWeight: 600, anchor: 'start', offset: 12 },
    axis: {
      labelColor: text,
      titleColor: text,
      gridColor: grid,
      domainColor: domain,
      tickColor: domain,
      labelFontSize: 11,
      titleFontSize: 12,
      titleFontWeight: 500,
      titlePadding: 10,
      labelLimit: narrow ? 96 : 160,
    },
    legend: {
      labelColor: text,
      titleColor: text,
      labelFontSize: 11,
      titleFontSize: 12,
      titleFontWeight: 500,
      ...(narrow ? { orient: 'bottom', direction: 'horizontal', columns: 2, labelLimit: 110, symbolLimit: 12 } : { labelLimit: 160 }),
    },
    header: { labelColor: text, titleColor: text },
    range: { category: palette },
    mark: { color: palette[0] },
    bar: { color: palette[0] },
    line: { color: palette[0], strokeWidth: 2 },
    point: { color: palette[0], filled: true },
    area: { color: palette[0], opacity: 0.85 },
    rect: { color: palette[0] },
    arc: { stroke: dark ? '#17181b' : '#ffffff' },
  };
}

/**
 * A single-view chart without a width fills its container; a chart without
 * a title gets the plot's; the rest is left as the server wrote it.
 */
export function prepareSpec(spec: Record<string, unknown>, title?: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...spec };
  // The title goes into the chart itself, so that exported images carry it.
  if (out.title === undefined && title) out.title = title;
  const singleView = 'mark' in out || 'layer' in out;
  if (singleView && out.width === undefined) {
    out.width = 'container';
    if (out.autosize === undefined) out.autosize = { type: 'fit-x', contains: 'padding' };
  }
  // vega-embed merges usermeta.embedOptions into its options: a spec must not
  // be able to turn the editor, eval or the network back on.
  delete out.usermeta;
  return out;
}

export function embedOptions(title?: string): EmbedOptions {
  return {
    ast: true,
    expr: expressionInterpreter,
    loader: refusingLoader() as unknown as EmbedOptions['loader'],
    renderer: 'svg',
    // Exports are the chart's own buttons (ChartPanel): PNG, SVG, its data as CSV, its spec as JSON.
    actions: false,
    downloadFileName: slugify(title ?? '', 'chart'),
    tooltip: true,
    logLevel: 0,
    scaleFactor: { png: 2 },
  };
}

/** The rows a chart draws: its inline data (every chart carries its data inline). */
export function specRows(spec: Record<string, unknown>): Record<string, unknown>[] {
  const data = spec.data as { values?: unknown } | undefined;
  return Array.isArray(data?.values) ? (data.values.filter((v) => v && typeof v === 'object') as Record<string, unknown>[]) : [];
}

/** Saves a data: or blob: URL as a file. */
export function saveURL(filename: string, url: string) {
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
}
