import { useEffect, useRef, useState } from 'react';
import type { View } from 'vega';
import embed from 'vega-embed';
import { useDarkMode } from '../lib/hooks';
import { chartConfig, embedOptions, NARROW_CHART, prepareSpec } from '../lib/vega';

export default function VegaChart({
  spec,
  title,
  onView,
}: {
  spec: Record<string, unknown>;
  title?: string;
  /** The drawn view, for exports; null when it goes. */
  onView?: (view: View | null) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const dark = useDarkMode();
  const [error, setError] = useState<string | null>(null);
  const [narrow, setNarrow] = useState(false);
  const viewCb = useRef(onView);
  viewCb.current = onView;

  // A phone-width chart gets its legend underneath and shorter labels.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setNarrow(el.clientWidth > 0 && el.clientWidth < NARROW_CHART);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let cancelled = false;
    let finalize: (() => void) | undefined;
    setError(null);
    embed(el, prepareSpec(spec, title), { ...embedOptions(title), config: chartConfig(dark, narrow) })
      .then((result) => {
        if (cancelled) {
          result.finalize();
          return;
        }
        finalize = result.finalize;
        viewCb.current?.(result.view);
      })
      .catch((err: Error) => {
        if (!cancelled) setError(err.message || 'unknown error');
      });
    return () => {
      cancelled = true;
      viewCb.current?.(null);
      finalize?.();
    };
  }, [spec, title, dark, narrow]);

  return (
    <>
      <div ref={ref} className="chart" data-testid="chart" />
      {error && <p className="chart-error">The chart could not be drawn: {error}</p>}
    </>
  );
}
