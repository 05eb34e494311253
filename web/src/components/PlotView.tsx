import { Component, lazy, Suspense, type ReactNode } from 'react';
import type { PlotData } from '../lib/types';
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

export function PlotView({ plot }: { plot: PlotData }) {
  return (
    <figure className="plot-card" aria-label={plot.title || 'Chart'}>
      <ChartBoundary>
        <Suspense
          fallback={
            <div className="chart-loading">
              <Spinner size={16} /> Drawing chart…
            </div>
          }
        >
          <VegaChart spec={plot.vega_lite_spec} title={plot.title} />
        </Suspense>
      </ChartBoundary>
    </figure>
  );
}
