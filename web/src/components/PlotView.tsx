import type { PlotData } from '../lib/types';
import { ChartPanel } from './ChartPanel';

/** A chart the analyst drew, with its exports. */
export function PlotView({ plot }: { plot: PlotData }) {
  return <ChartPanel spec={plot.vega_lite_spec} title={plot.title} />;
}
