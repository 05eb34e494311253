import { useEffect, useState } from 'react';
import { api, ApiError } from '../lib/api';
import { formatNumber, formatStat, typeKind, typeLabel } from '../lib/format';
import type { ColumnProfile, Profile } from '../lib/types';
import { Spinner } from './ui';

const cache = new Map<string, Profile>();

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The column profile as a compact table: missing share, distinct values, range and the usual values. */
export function ProfilePanel({ sessionId, rowCount }: { sessionId: string; rowCount: number }) {
  const [profile, setProfile] = useState<Profile | null>(() => cache.get(sessionId) ?? null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (cache.has(sessionId)) return;
    const ctrl = new AbortController();
    api
      .profile(sessionId, ctrl.signal)
      .then((p) => {
        cache.set(sessionId, p);
        setProfile(p);
      })
      .catch((err) => {
        if ((err as Error).name === 'AbortError') return;
        setError(err instanceof ApiError ? err.message : 'The profile could not be computed.');
      });
    return () => ctrl.abort();
  }, [sessionId]);

  if (error) return <p className="panel-message">{error}</p>;
  if (!profile) {
    return (
      <p className="panel-message" role="status">
        <Spinner size={14} /> Profiling columns…
      </p>
    );
  }
  const rows = num(profile.row_count) ?? rowCount;
  const columns = Array.isArray(profile.columns) ? profile.columns : [];
  const dupes = num(profile.duplicate_rows);

  return (
    <div className="profile">
      <div className="profile-summary">
        <span>
          <strong>{formatNumber(rows)}</strong> rows
        </span>
        <span>
          <strong>{formatNumber(columns.length)}</strong> columns
        </span>
        {dupes !== undefined && (
          <span className={dupes > 0 ? 'warn' : undefined}>
            <strong>{formatNumber(dupes)}</strong> duplicate rows
          </span>
        )}
      </div>
      <div className="profile-scroll" tabIndex={0} role="region" aria-label="Column profile">
        <table className="profile-table">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Missing</th>
              <th scope="col" className="num">
                Distinct
              </th>
              <th scope="col">Summary</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <ProfileRow key={c.name} col={c} rows={rows} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ProfileRow({ col, rows }: { col: ColumnProfile; rows: number }) {
  const nulls = num(col.null_count);
  const share = nulls !== undefined && rows > 0 ? nulls / rows : undefined;
  const kind = typeKind(col.type);
  return (
    <tr>
      <th scope="row">
        <span className="profile-name">{col.name}</span>
        {col.type && <span className={`th-type type-${kind}`}>{typeLabel(col.type)}</span>}
      </th>
      <td>
        {share === undefined ? (
          '—'
        ) : (
          <span className="missing" title={`${formatNumber(nulls)} missing`}>
            <span className="meter" aria-hidden="true">
              <span style={{ width: `${Math.max(share > 0 ? 4 : 0, share * 100)}%` }} className={share > 0.2 ? 'high' : undefined} />
            </span>
            {share === 0 ? '0%' : share < 0.001 ? '<0.1%' : `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`}
          </span>
        )}
      </td>
      <td className="num">{col.distinct_approx === undefined ? '—' : formatNumber(num(col.distinct_approx))}</td>
      <td className="profile-detail">
        <Summary col={col} kind={kind} />
      </td>
    </tr>
  );
}

function Summary({ col, kind }: { col: ColumnProfile; kind: ReturnType<typeof typeKind> }) {
  const parts: { label: string; value: string }[] = [];
  const mean = num(col.mean);
  if (kind === 'number' || mean !== undefined) {
    if (col.min !== undefined && col.min !== null) parts.push({ label: 'min', value: formatStat(col.min) });
    if (col.q50 !== undefined && col.q50 !== null) parts.push({ label: 'median', value: formatStat(col.q50) });
    if (mean !== undefined) parts.push({ label: 'mean', value: formatStat(mean) });
    if (col.max !== undefined && col.max !== null) parts.push({ label: 'max', value: formatStat(col.max) });
    const sd = num(col.stddev);
    if (sd !== undefined) parts.push({ label: 'sd', value: formatStat(sd) });
  } else if (kind === 'date' && (col.min != null || col.max != null)) {
    parts.push({ label: 'from', value: formatStat(col.min) }, { label: 'to', value: formatStat(col.max) });
  }
  const top = Array.isArray(col.top_values) ? col.top_values.slice(0, 3) : [];
  return (
    <>
      {parts.length > 0 && (
        <span className="stats">
          {parts.map((p) => (
            <span key={p.label}>
              <span className="muted">{p.label}</span> {p.value}
            </span>
          ))}
        </span>
      )}
      {parts.length === 0 && top.length > 0 && (
        <span className="top-values">
          {top.map((t, i) => (
            <span key={i} className="chip" title={`${formatStat(t.value)}: ${formatNumber(t.count)}`}>
              <span className="chip-label">{t.value === null ? 'null' : formatStat(t.value)}</span>
              <span className="muted">{formatNumber(t.count)}</span>
            </span>
          ))}
        </span>
      )}
      {parts.length === 0 && top.length === 0 && <span className="muted">—</span>}
    </>
  );
}
