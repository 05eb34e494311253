import { AreaChart, ChartColumn, ChartLine, ChartScatter, Download, Grid3x3, X } from 'lucide-react';
import { Component, lazy, Suspense, useRef, type ReactNode } from 'react';
import type { View } from 'vega';
import { downloadText, slugify, toCSV, resultColumns } from '../lib/csv';
import type { ChartMark } from '../lib/types';
import { saveURL, specRows } from '../lib/vega';
import { Spinner } from './ui';

// Vega is large: it loads the first time a chart is shown.
const VegaChart = lazy(() => import('./VegaChart'));

class ChartBoundary extends Component<{ children: ReactNode }, { error: string | null }> {
  state = { error: null as string | null };
  static getDerivedStateFromError(err: Error) {
    return { error: err.message || 'The chart could not be drawn.' };
  }
  render() {
    if (this.state.error) return <p className="chart-error">The chart could not be drawn: {this.state.error}</p>;
    return this.props.children;
  }
}

const markInfo: Record<ChartMark, { label: string; icon: ReactNode }> = {
  bar: { label: 'Bar', icon: <ChartColumn size={14} aria-hidden="true" /> },
  line: { label: 'Line', icon: <ChartLine size={14} aria-hidden="true" /> },
  point: { label: 'Point', icon: <ChartScatter size={14} aria-hidden="true" /> },
  area: { label: 'Area', icon: <AreaChart size={14} aria-hidden="true" /> },
  heatmap: { label: 'Heatmap', icon: <Grid3x3 size={14} aria-hidden="true" /> },
};

/**
 * A chart with its tools: a switcher between the marks that fit (when
 * given), and exports as PNG, SVG, its data as CSV and its spec as JSON.
 */
export function ChartPanel({
  spec,
  title,
  marks,
  mark,
  onMark,
  switching,
  note,
  onClose,
}: {
  spec: Record<string, unknown>;
  title?: string;
  marks?: ChartMark[];
  mark?: ChartMark;
  onMark?: (m: ChartMark) => void;
  /** A new mark is being fetched. */
  switching?: boolean;
  note?: string;
  onClose?: () => void;
}) {
  const view = useRef<View | null>(null);
  const name = slugify(title ?? (typeof spec.title === 'string' ? spec.title : ''), 'chart');

  async function image(kind: 'png' | 'svg') {
    const v = view.current;
    if (!v) return;
    if (kind === 'png') {
      saveURL(`${name}.png`, await v.toImageURL('png', 2));
      return;
    }
    downloadText(`${name}.svg`, await v.toSVG(), 'image/svg+xml;charset=utf-8');
  }
  function data() {
    const rows = specRows(spec);
    downloadText(`${name}.csv`, toCSV(resultColumns(undefined, rows), rows));
  }
  function json() {
    downloadText(`${name}.vl.json`, `${JSON.stringify(spec, null, 2)}\n`, 'application/json;charset=utf-8');
  }

  return (
    <figure className="plot-card" aria-label={title || 'Chart'}>
      <div className="chart-tools">
        {marks && marks.length > 1 && (
          <span className="mark-switch" role="group" aria-label="Chart type">
            {marks.map((m) => (
              <button
                key={m}
                type="button"
                className="mark-btn"
                aria-pressed={m === mark}
                disabled={switching}
                onClick={() => m !== mark && onMark?.(m)}
                title={markInfo[m].label}
                aria-label={markInfo[m].label}
              >
                {markInfo[m].icon}
                <span className="mark-label">{markInfo[m].label}</span>
              </button>
            ))}
            {switching && <Spinner size={13} />}
          </span>
        )}
        <span className="chart-exports" role="group" aria-label="Export the chart">
          <Download size={13} aria-hidden="true" className="muted" />
          <button type="button" className="btn btn-ghost btn-xs" onClick={() => void image('png')} aria-label="Save as PNG">
            PNG
          </button>
          <button type="button" className="btn btn-ghost btn-xs" onClick={() => void image('svg')} aria-label="Save as SVG">
            SVG
          </button>
          <button type="button" className="btn btn-ghost btn-xs" onClick={data} aria-label="Save the data as CSV">
            CSV
          </button>
          <button type="button" className="btn btn-ghost btn-xs" onClick={json} aria-label="Save the spec as JSON">
            JSON
          </button>
          {onClose && (
            <button type="button" className="btn btn-ghost btn-xs chart-close" onClick={onClose} aria-label="Close the chart">
              <X size={13} aria-hidden="true" />
            </button>
          )}
        </span>
      </div>
      <ChartBoundary>
        <Suspense
          fallback={
            <div className="chart-loading">
              <Spinner size={16} /> Drawing chart…
            </div>
          }
        >
          <VegaChart spec={spec} title={title} onView={(v) => (view.current = v)} />
        </Suspense>
      </ChartBoundary>
      {note && <figcaption className="chart-note muted">{note}</figcaption>}
    </figure>
  );
}
