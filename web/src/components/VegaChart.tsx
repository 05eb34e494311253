import { useEffect, useRef, useState } from 'react';
import { useDarkMode } from '../lib/hooks';
import { chartConfig, embedOptions, prepareSpec } from '../lib/vega';
import embed from 'vega-embed';

export default function VegaChart({ spec, title }: { spec: Record<string, unknown>; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const dark = useDarkMode();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let cancelled = false;
    let finalize: (() => void) | undefined;
    setError(null);
    embed(el, prepareSpec(spec, title), { ...embedOptions(title), config: chartConfig(dark) })
      .then((result) => {
        if (cancelled) result.finalize();
        else finalize = result.finalize;
      })
      .catch((err: Error) => {
        if (!cancelled) setError(err.message || 'unknown error');
      });
    return () => {
      cancelled = true;
      finalize?.();
    };
  }, [spec, title, dark]);

  return (
    <>
      <div ref={ref} className="chart" data-testid="chart" />
      {error && <p className="chart-error">The chart could not be drawn: {error}</p>}
    </>
  );
}
