import { Database } from 'lucide-react';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../lib/api';
import { formatBytes, formatNumber } from '../lib/format';
import type { SampleDataset, UploadResponse } from '../lib/types';
import { Spinner } from './ui';

/** The sample datasets the server carries: one click makes an analysis of one and opens it. */
export function SampleDatasets({ onLoaded, disabled }: { onLoaded: (res: UploadResponse) => void; disabled?: boolean }) {
  const [list, setList] = useState<SampleDataset[] | null>(null);
  const [loading, setLoading] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    api.samples(ctrl.signal).then(setList, () => setList([]));
    return () => ctrl.abort();
  }, []);

  if (!list?.length) return null;

  async function load(s: SampleDataset) {
    setLoading(s.id);
    setError(null);
    try {
      onLoaded(await api.loadSample(s.id));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return;
      setError(`Couldn't open ${s.title}: ${(err as Error).message}`);
      setLoading(null);
    }
  }

  return (
    <section className="samples" aria-labelledby="samples-title">
      <h2 id="samples-title">No file at hand? Try a sample dataset</h2>
      <ul className="sample-list">
        {list.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              className="sample-card"
              onClick={() => void load(s)}
              disabled={disabled || loading !== null}
              aria-busy={loading === s.id}
              title={`${s.source} · ${s.license}`}
            >
              <strong>
                {loading === s.id ? <Spinner size={14} /> : <Database size={14} aria-hidden="true" />}
                {s.title}
              </strong>
              <span className="sample-desc">{s.description}</span>
              <span className="sample-facts">
                {formatNumber(s.rows)} rows × {s.columns} columns · {formatBytes(s.size_bytes)} · {s.license}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="samples-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
