import { ChartColumn, Download } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError } from '../lib/api';
import { downloadText, resultColumns, slugify, toCSV } from '../lib/csv';
import { formatDuration, formatNumber, plural } from '../lib/format';
import type { ChartMark, ChartProposal, QueryResult, Row } from '../lib/types';
import { ChartPanel } from './ChartPanel';
import { DataTable, type CellHighlight } from './DataTable';
import { SqlBlock } from './SqlBlock';
import { ResultExport } from './ResultExport';
import { Spinner } from './ui';

/** Rows fetched per "Load more rows". */
export const ROWS_PAGE = 500;

/** Where a stored result lives, so that the rest of its rows can be fetched. */
export interface ResultSource {
  sessionId: string;
  messageId: string;
}

type ChartState =
  | { status: 'closed' }
  | { status: 'loading' }
  | { status: 'error'; error: string }
  | { status: 'open'; proposal: ChartProposal; switching: boolean };

interface MoreRows {
  /** The first page these rows follow; a new first page starts over. */
  base: Row[] | undefined;
  rows: Row[];
  hasMore: boolean | undefined;
}

export function QueryResultView({
  data,
  index,
  sqlCollapsed = false,
  source,
  resolveSource,
  anchor,
  highlight,
  datasetColumns,
  onRunSQL,
  runDisabled,
}: {
  data: QueryResult;
  index: number;
  sqlCollapsed?: boolean;
  source?: ResultSource;
  /** Finds where a result shown live is stored (it has no id until then). */
  resolveSource?: () => Promise<ResultSource | null>;
  /** The element's id, for links to it. */
  anchor?: string;
  /** A cell to show (a traced figure's source): row -1 marks a column or the whole result. */
  highlight?: CellHighlight;
  /** The dataset's columns, for the SQL editor's completion. */
  datasetColumns?: string[];
  /** Runs (edited) SQL as a new turn; false when it could not be sent. */
  onRunSQL?: (sql: string) => boolean;
  /** Why the SQL cannot be run now. */
  runDisabled?: string;
}) {
  const firstPage = useMemo(() => (Array.isArray(data.result) ? data.result : []), [data.result]);
  const [more, setMore] = useState<MoreRows>({ base: data.result, rows: [], hasMore: undefined });
  // The first page changed (the conversation was reloaded): rows fetched for the old one go.
  const current = more.base === data.result ? more : { base: data.result, rows: [], hasMore: undefined };
  if (current !== more) setMore(current);
  const rows = useMemo(() => (current.rows.length ? [...firstPage, ...current.rows] : firstPage), [firstPage, current.rows]);
  const hasMore = !!source && (current.hasMore ?? !!data.has_more);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const [chart, setChart] = useState<ChartState>({ status: 'closed' });
  async function loadChart(mark?: ChartMark) {
    setChart((c) => (c.status === 'open' ? { ...c, switching: true } : { status: 'loading' }));
    try {
      const where = source ?? (await resolveSource?.()) ?? null;
      if (!where) throw new Error('This result is not stored yet: try again in a moment.');
      const p = await api.resultChart(where.sessionId, where.messageId, mark);
      if (alive.current) setChart({ status: 'open', proposal: p, switching: false });
    } catch (err) {
      if (!alive.current) return;
      const msg = err instanceof ApiError || err instanceof Error ? err.message : '';
      setChart({ status: 'error', error: msg || 'The chart could not be made.' });
    }
  }

  const columns = useMemo(() => resultColumns(data.columns, rows), [data.columns, rows]);
  const stopped = data.is_error && /\b(stopped|cancell?ed|interrupted)\b/i.test(data.error ?? '');
  const count = typeof data.row_count === 'number' ? data.row_count : rows.length;
  const stored = typeof data.stored_row_count === 'number' ? data.stored_row_count : undefined;
  const cut = typeof data.cut_cells === 'number' && data.cut_cells > 0 ? data.cut_cells : 0;

  async function loadMore() {
    if (!source || loading) return;
    const base = data.result;
    const offset = (data.row_offset ?? 0) + rows.length;
    setLoading(true);
    setLoadError(null);
    try {
      const page = await api.resultRows(source.sessionId, source.messageId, offset, ROWS_PAGE);
      if (!alive.current) return;
      const got = Array.isArray(page?.rows) ? page.rows : [];
      setMore((m) => (m.base === base ? { base, rows: [...m.rows, ...got], hasMore: !!page?.has_more && got.length > 0 } : m));
    } catch (err) {
      if (!alive.current) return;
      setLoadError(`More rows could not be loaded: ${(err as Error).message || 'please try again.'}`);
    } finally {
      if (alive.current) setLoading(false);
    }
  }

  return (
    <div id={anchor} className={`result-card${data.is_error && !stopped ? ' is-error' : ''}${highlight ? ' is-highlighted' : ''}`}>
      {data.sql && (
        <SqlBlock sql={data.sql} collapsed={sqlCollapsed} columns={datasetColumns} index={index} onRun={onRunSQL} runDisabled={runDisabled} />
      )}
      {data.is_error ? (
        stopped ? (
          <div className="result-stopped">The query was stopped before it finished.</div>
        ) : (
          <div className="result-error" role="alert">
            <strong>Query failed</strong>
            <span>{data.error || 'The query could not be run.'}</span>
          </div>
        )
      ) : (
        <>
          {columns.length > 0 ? (
            <DataTable
              columns={columns.map((name) => ({ name }))}
              rows={rows}
              maxHeight={340}
              label={`Query result ${index}`}
              showTypes={false}
              highlight={highlight}
              toolbar
              scopeNote={hasMore ? `sorting and filtering the ${formatNumber(rows.length)} loaded rows` : undefined}
            />
          ) : (
            <p className="panel-message">The query returned no columns.</p>
          )}
          <div className="result-foot">
            <span className="muted">
              {plural(count, 'row')}
              {hasMore && stored !== undefined
                ? ` · showing ${formatNumber(rows.length)} of ${formatNumber(stored)}`
                : data.truncated &&
                  (data.truncated_reason === 'bytes'
                    ? ` · showing the first ${formatNumber(rows.length)} rows: the result is larger than can be shown`
                    : ` · showing the first ${formatNumber(rows.length)}`)}
              {data.elapsed_ms !== undefined && ` · ${formatDuration(data.elapsed_ms)}`}
            </span>
            {rows.length > 0 && (
              <span className="result-actions">
                {(source || resolveSource) && (
                  <button
                    type="button"
                    className="btn btn-ghost btn-xs"
                    onClick={() => (chart.status === 'open' ? setChart({ status: 'closed' }) : void loadChart())}
                    disabled={chart.status === 'loading'}
                    aria-expanded={chart.status === 'open'}
                  >
                    {chart.status === 'loading' ? <Spinner size={13} /> : <ChartColumn size={13} aria-hidden="true" />}
                    Chart this
                  </button>
                )}
                {hasMore && (
                  <button type="button" className="btn btn-ghost btn-xs" onClick={loadMore} disabled={loading} aria-busy={loading}>
                    {loading && <Spinner size={13} />}
                    Load more rows
                  </button>
                )}
                {source || resolveSource ? (
                  <ResultExport source={source} resolveSource={resolveSource} />
                ) : (
                  // Without a stored copy to export, the rows on the page are the CSV, when they are the whole result.
                  !hasMore &&
                  !data.truncated &&
                  !data.stored_truncated &&
                  !cut && (
                    <button
                      type="button"
                      className="btn btn-ghost btn-xs"
                      onClick={() => downloadText(`${slugify(data.sql ?? '', 'query')}.csv`, toCSV(columns, rows))}
                    >
                      <Download size={13} />
                      Download CSV
                    </button>
                  )
                )}
              </span>
            )}
          </div>
          {chart.status === 'error' && (
            <p className="result-note result-note-error" role="alert">
              {chart.error}
            </p>
          )}
          {chart.status === 'open' && (
            <ChartPanel
              spec={chart.proposal.vega_lite_spec}
              title={chart.proposal.title}
              marks={chart.proposal.marks}
              mark={chart.proposal.mark}
              switching={chart.switching}
              onMark={(m) => void loadChart(m)}
              onClose={() => setChart({ status: 'closed' })}
              note={
                chart.proposal.rows < chart.proposal.row_count
                  ? `Drawn from the first ${formatNumber(chart.proposal.rows)} of ${formatNumber(chart.proposal.row_count)} rows.`
                  : undefined
              }
            />
          )}
          {loadError && (
            <p className="result-note result-note-error" role="alert">
              {loadError}
            </p>
          )}
          {cut > 0 && (
            <p className="result-note muted">
              {plural(cut, 'long value')} {cut === 1 ? 'was' : 'were'} cut (a cut value ends with “…”).
            </p>
          )}
          {data.stored_truncated && (
            <p className="result-note muted">Only part of this result was kept with the conversation.</p>
          )}
        </>
      )}
    </div>
  );
}
