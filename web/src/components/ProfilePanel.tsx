import { useEffect, useState } from 'react';
import { api, ApiError } from '../lib/api';
import { approx, formatCount, formatNumber, formatPercent, formatStat, typeKind, typeLabel, type NumberRole } from '../lib/format';
import type { ColumnProfile, Profile } from '../lib/types';
import { Spinner } from './ui';

const cache = new Map<string, Profile>();

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A statistic that may be an estimate: {"value": 229, "approx": false}. */
function stat(v: unknown): { value: number; approx: boolean } | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as { value?: unknown; approx?: unknown };
  const value = num(o.value);
  return value === undefined ? undefined : { value, approx: o.approx === true };
}

function role(col: ColumnProfile): NumberRole | undefined {
  return col.number_role === 'label' || col.number_role === 'amount' ? col.number_role : undefined;
}

/** The distinct count, marked ≈ when estimated (profiles from before the exact counts were all estimates). */
function distinctText(col: ColumnProfile): string {
  const d = stat(col.distinct);
  if (d) return d.approx ? approx(formatCount(d.value)) : formatCount(d.value);
  const old = num(col.distinct_approx);
  return old === undefined ? '—' : approx(formatCount(old));
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
  const cls = typeof col.class === 'string' ? col.class : undefined;
  const d = stat(col.distinct);
  return (
    <tr>
      <th scope="row">
        <span className="profile-name">{col.name}</span>
        {col.type && (
          <span className={`th-type type-${kind}`} title={cls ? `${typeLabel(col.type)}: ${cls}` : undefined}>
            {typeLabel(col.type)}
          </span>
        )}
      </th>
      <td>
        {share === undefined ? (
          '—'
        ) : (
          <span className="missing" title={`${formatNumber(nulls)} missing`}>
            <span className="meter" aria-hidden="true">
              <span style={{ width: `${Math.max(share > 0 ? 4 : 0, share * 100)}%` }} className={share > 0.2 ? 'high' : undefined} />
            </span>
            {formatPercent(share)}
          </span>
        )}
      </td>
      <td className="num" title={d ? (d.approx ? 'estimated' : 'exact') : col.distinct_approx !== undefined ? 'estimated' : undefined}>
        {distinctText(col)}
      </td>
      <td className="profile-detail">
        <Summary col={col} kind={kind} />
      </td>
    </tr>
  );
}

function Summary({ col, kind }: { col: ColumnProfile; kind: ReturnType<typeof typeKind> }) {
  const parts: { label: string; value: string }[] = [];
  const mean = num(col.mean);
  const r = role(col);
  const range = col.date_range as { from?: string; to?: string } | undefined;
  if (range && typeof range === 'object' && (range.from || range.to)) {
    // Temporal, typed or text holding dates.
    parts.push({ label: 'from', value: formatStat(range.from) }, { label: 'to', value: formatStat(range.to) });
  } else if (kind === 'number' || mean !== undefined) {
    if (col.min !== undefined && col.min !== null) parts.push({ label: 'min', value: formatStat(col.min, r) });
    const median = stat(col.median);
    if (median) {
      const v = formatStat(median.value, r);
      parts.push({ label: 'median', value: median.approx ? approx(v) : v });
    } else if (col.q50 !== undefined && col.q50 !== null) {
      // Profiles from before exact medians: the quantiles were estimates.
      parts.push({ label: 'median', value: approx(formatStat(col.q50, r)) });
    }
    if (mean !== undefined) parts.push({ label: 'mean', value: formatStat(mean, r) });
    if (col.max !== undefined && col.max !== null) parts.push({ label: 'max', value: formatStat(col.max, r) });
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
            <span key={i} className="chip" title={`${formatStat(t.value)}: ${formatCount(t.count)}`}>
              <span className="chip-label">{t.value === null ? 'null' : formatStat(t.value)}</span>
              <span className="muted">{formatCount(t.count)}</span>
            </span>
          ))}
        </span>
      )}
      {parts.length === 0 && top.length === 0 && <span className="muted">—</span>}
    </>
  );
}
