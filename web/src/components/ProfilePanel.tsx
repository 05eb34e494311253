import { MessageCircleQuestion } from 'lucide-react';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../lib/api';
import { approx, formatCount, formatNumber, formatTimeLength, formatPercent, formatStat, typeKind, typeLabel, type NumberRole } from '../lib/format';
import type { ColumnProfile, Finding, HistogramBin, Profile, ProfileBins } from '../lib/types';
import '../styles/results.css';
import { Spinner } from './ui';

const cache = new Map<string, Profile>();
const binsCache = new Map<string, ProfileBins>();

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
export function ProfilePanel({
  sessionId,
  dataKey,
  rowCount,
  onAsk,
}: {
  sessionId: string;
  /** Names the data the profile is of (the table's current version): a change of data is a new profile, never the cached one. */
  dataKey?: string;
  rowCount: number;
  /** Asks the analyst a question about a column (a click on its name). */
  onAsk?: (question: string) => void;
}) {
  const key = dataKey ? `${sessionId}@${dataKey}` : sessionId;
  const [profile, setProfile] = useState<Profile | null>(() => cache.get(key) ?? null);
  const [error, setError] = useState<string | null>(null);
  const [bins, setBins] = useState<ProfileBins | null>(() => binsCache.get(key) ?? null);

  // The histograms come after the profile, from one more scan; a failure leaves the minis out.
  useEffect(() => {
    if (!profile || binsCache.has(key)) return;
    const ctrl = new AbortController();
    api
      .profileBins(sessionId, ctrl.signal)
      .then((b) => {
        binsCache.set(key, b);
        setBins(b);
      })
      .catch(() => {});
    return () => ctrl.abort();
  }, [sessionId, key, profile]);

  useEffect(() => {
    setProfile(cache.get(key) ?? null);
    setBins(binsCache.get(key) ?? null);
    setError(null);
    if (cache.has(key)) return;
    const ctrl = new AbortController();
    api
      .profile(sessionId, ctrl.signal)
      .then((p) => {
        cache.set(key, p);
        setProfile(p);
      })
      .catch((err) => {
        if ((err as Error).name === 'AbortError') return;
        setError(err instanceof ApiError ? err.message : 'The profile could not be computed.');
      });
    return () => ctrl.abort();
  }, [sessionId, key]);

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
      <Findings findings={Array.isArray(profile.findings) ? profile.findings : []} />
      <div className="profile-scroll" tabIndex={0} role="region" aria-label="Column profile">
        <table className="profile-table">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Missing</th>
              <th scope="col" className="num">
                Distinct
              </th>
              <th scope="col">Shape</th>
              <th scope="col">Summary</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <ProfileRow key={c.name} col={c} rows={rows} bins={bins?.columns.find((b) => b.name === c.name)} onAsk={onAsk} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The profile's findings as the analysts state them: alerts first (they come sorted by weight), each with the query behind its numbers. */
function Findings({ findings }: { findings: Finding[] }) {
  const shown = [...findings.filter((f) => f.alert), ...findings.filter((f) => !f.alert)].filter((f) => typeof f.text === 'string' && f.text !== '');
  if (shown.length === 0) return null;
  return (
    <ul className="profile-findings" aria-label="Findings">
      {shown.map((f, i) => (
        <li key={i} className={f.alert ? 'alert' : undefined}>
          {f.alert && <span className="finding-tag">Check</span>}
          <span>{f.text}</span>
          {f.approx && (
            <span className="finding-tag estimate" title="An estimate: the figures said “about” are approximate.">
              ≈ estimate
            </span>
          )}
          {f.sql && (
            <details className="finding-sql">
              <summary>SQL</summary>
              <code>{f.sql}</code>
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}

function ProfileRow({
  col,
  rows,
  bins,
  onAsk,
}: {
  col: ColumnProfile;
  rows: number;
  bins?: ProfileBins['columns'][number];
  onAsk?: (question: string) => void;
}) {
  const nulls = num(col.null_count);
  const share = nulls !== undefined && rows > 0 ? nulls / rows : undefined;
  const kind = typeKind(col.type);
  const cls = typeof col.class === 'string' ? col.class : undefined;
  const d = stat(col.distinct);
  return (
    <tr>
      <th scope="row">
        {onAsk ? (
          <button
            type="button"
            className="profile-name profile-ask"
            onClick={() => onAsk(columnQuestion(col, kind))}
            title={`Ask the analyst about ${col.name}`}
            aria-label={`Ask about ${col.name}`}
          >
            {col.name}
            <MessageCircleQuestion size={13} aria-hidden="true" />
          </button>
        ) : (
          <span className="profile-name">{col.name}</span>
        )}
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
      <td className="profile-mini">
        {bins && bins.bins.some((b) => b.count > 0) ? (
          <Histogram name={col.name} bins={bins.bins} time={bins.scale === 'time'} role={role(col)} granular={col.granularity} estimated={!!bins.approx} />
        ) : (
          <TopValues col={col} rows={rows} />
        )}
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
  // Statistics of text cells read as numbers: durations in seconds are
  // written back as the table writes them, numbers with a unit keep it.
  const statText = (v: unknown, role?: NumberRole): string => {
    if (typeof v === 'number' && col.duration) return formatTimeLength(v);
    const text = formatStat(v, role);
    return typeof v === 'number' && col.unit ? `${text} ${col.unit}` : text;
  };
  const range = col.date_range as { from?: string; to?: string } | undefined;
  if (range && typeof range === 'object' && (range.from || range.to)) {
    // Temporal, typed or text holding dates.
    parts.push({ label: 'from', value: formatWhen(range.from, col.granularity) }, { label: 'to', value: formatWhen(range.to, col.granularity) });
  } else if (kind === 'number' || mean !== undefined) {
    if (col.min !== undefined && col.min !== null) parts.push({ label: 'minimum', value: statText(col.min, r) });
    const median = stat(col.median);
    if (median) {
      const v = statText(median.value, r);
      parts.push({ label: 'median', value: median.approx ? approx(v) : v });
    } else if (col.q50 !== undefined && col.q50 !== null) {
      // Profiles from before exact medians: the quantiles were estimates.
      parts.push({ label: 'median', value: approx(statText(col.q50, r)) });
    }
    if (mean !== undefined) parts.push({ label: 'mean', value: statText(mean, r) });
    if (col.max !== undefined && col.max !== null) parts.push({ label: 'maximum', value: statText(col.max, r) });
    const sd = num(col.stddev);
    if (sd !== undefined) parts.push({ label: 'standard deviation', value: statText(sd) });
  } else if (kind === 'date' && (col.min != null || col.max != null)) {
    parts.push({ label: 'from', value: formatWhen(col.min, col.granularity) }, { label: 'to', value: formatWhen(col.max, col.granularity) });
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

/** The question a click on a column asks. */
function columnQuestion(col: ColumnProfile, kind: ReturnType<typeof typeKind>): string {
  const cls = typeof col.class === 'string' ? col.class : '';
  if (cls === 'numeric' || (kind === 'number' && cls !== 'categorical' && cls !== 'identifier')) return `What is the distribution of ${col.name}?`;
  if (kind === 'date' || cls === 'temporal') return `How many rows per month of ${col.name}?`;
  return `What are the most common values of ${col.name}?`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const timeFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

/** A date or timestamp as people write it ("3 Jan 2024", "3 Jan 2024, 14:05"), at the column's granularity. */
export function formatWhen(value: unknown, granularity?: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value);
  const ms = typeof value === 'number' ? value : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /[zZ]|[+-]\d{2}(:?\d{2})?$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  if (!Number.isFinite(ms)) return formatStat(value);
  const d = new Date(ms);
  if (granularity === 'year') return String(d.getUTCFullYear());
  if (granularity === 'month') return monthFormat.format(d);
  const dayOnly = granularity === 'day' || /^\d{4}-\d{2}-\d{2}$/.test(text) || (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0);
  return (dayOnly ? dateFormat : timeFormat).format(d);
}

/** A mini histogram: one bar per bin, its range and count in the tooltip. */
function Histogram({
  name,
  bins,
  time,
  role: r,
  granular,
  estimated,
}: {
  name: string;
  bins: HistogramBin[];
  time: boolean;
  role?: NumberRole;
  granular?: unknown;
  /** The counts are estimates from a sample: marked ≈. */
  estimated: boolean;
}) {
  const max = Math.max(...bins.map((b) => b.count), 1);
  const w = 112;
  const h = 26;
  const step = w / bins.length;
  const label = (v: number) => (time ? formatWhen(v, granular) : formatStat(v, r));
  return (
    <svg className="mini-hist" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`Distribution of ${name}`}>
      {bins.map((b, i) => {
        const bh = b.count > 0 ? Math.max(2, (b.count / max) * (h - 2)) : 0;
        return (
          <rect key={i} x={i * step + 0.5} y={h - bh} width={Math.max(1, step - 1.5)} height={bh} rx={1}>
            <title>{`${label(b.start)} – ${label(b.end)}: ${estimated ? approx(formatCount(b.count)) : formatCount(b.count)}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}

/** The most common values as one bar of shares, the first ones named. */
function TopValues({ col, rows }: { col: ColumnProfile; rows: number }) {
  const top = Array.isArray(col.top_values) ? col.top_values.slice(0, 5) : [];
  const nonNull = rows - (num(col.null_count) ?? 0);
  if (top.length === 0 || nonNull <= 0) return <span className="muted">—</span>;
  const name = (v: unknown) => (v === null ? 'null' : formatStat(v));
  return (
    <span className="mini-top" title={top.map((t) => `${name(t.value)}: ${formatCount(t.count)} (${formatPercent(t.count / nonNull)})`).join('\n')}>
      <span className="mini-top-bar" role="img" aria-label={`Most common values of ${col.name}`}>
        {top.map((t, i) => (
          <span key={i} className={`seg seg-${i}`} style={{ width: `${Math.max(2, (t.count / nonNull) * 100)}%` }} />
        ))}
      </span>
      <span className="mini-top-label">
        <span className="chip-label">{name(top[0].value)}</span> <span className="muted">{formatPercent(top[0].count / nonNull)}</span>
      </span>
    </span>
  );
}
