import type { AnswerUsage } from './events.gen';

// Shapes of the API, as described in the backend's contract. Fields the
// server may add later are optional so that the UI renders defensively.

export interface Provider {
  name: string;
  model?: string;
  local?: boolean;
}

export interface Health {
  status: string;
  version?: string;
  provider?: Provider;
  /** Whether the configured model answers, with the reason when it does not. */
  provider_health?: { status: string; problem?: string; checked_at?: string };
  max_upload_size?: number;
}

export type Row = Record<string, unknown>;

export interface FileInfo {
  filename: string;
  row_count: number;
  column_count: number;
  columns: string[];
  column_types?: string[];
  preview: Row[];
  size_bytes?: number;
  format?: string;
  rejected_rows?: number;
  /** How a CSV was read (the server's read report). */
  encoding?: string;
  skipped_lines?: number;
  skipped?: { kind: string; lines: number; first_line: number; reason: string }[];
  replaced_bytes?: number;
  removed_nul_bytes?: number;
  padded_rows?: boolean;
  /** The report as sentences for the dataset card ("read as Windows-1252"). */
  notes?: string[];
}

export interface UploadResponse {
  session_id: string;
  file: FileInfo;
}

export interface SessionSummary {
  id: string;
  title: string;
  created_at: string;
  filename?: string;
  row_count?: number;
  column_count?: number;
  /** The uploaded file's size; created_at is when it was uploaded. */
  size_bytes?: number;
  format?: string;
}

/** A sample dataset the server carries (GET /api/samples). */
export interface SampleDataset {
  id: string;
  title: string;
  description: string;
  filename: string;
  rows: number;
  columns: number;
  size_bytes: number;
  source: string;
  source_url: string;
  license: string;
  questions: string[];
}

export interface PlotData {
  title?: string;
  vega_lite_spec: Record<string, unknown>;
}

/** A mark "Chart this" can switch a chart between. */
export type ChartMark = 'bar' | 'line' | 'point' | 'area' | 'heatmap';

/** A chart proposed for a stored result, from GET /api/sessions/{id}/messages/{messageID}/chart. */
export interface ChartProposal {
  title: string;
  mark: ChartMark;
  /** The marks that fit the result, the default first. */
  marks: ChartMark[];
  /** Rows the chart shows, of row_count in the result. */
  rows: number;
  row_count: number;
  vega_lite_spec: Record<string, unknown>;
}

export interface QueryResult {
  result: Row[];
  is_error: boolean;
  error?: string;
  columns?: string[];
  row_count?: number;
  truncated?: boolean;
  sql?: string;
  elapsed_ms?: number;
  /** Why the result was cut: over the row limit, or over the result's byte limit. */
  truncated_reason?: 'rows' | 'bytes' | string;
  /** How many cells held a value too long to keep; a cut value ends with "…". */
  cut_cells?: number;
  /** Stored results are served a page at a time: where this page starts. */
  row_offset?: number;
  /** Rows kept with the conversation (at most 1000). */
  stored_row_count?: number;
  /** More stored rows can be fetched with api.resultRows. */
  has_more?: boolean;
  /** Storage kept fewer rows than the query returned, or cut some cells. */
  stored_truncated?: boolean;
}

/** One page of a stored query result, from GET /api/sessions/{id}/messages/{messageID}/rows. */
export interface ResultRowsPage {
  columns?: string[];
  types?: string[];
  rows: Row[];
  row_offset: number;
  stored_row_count: number;
  has_more: boolean;
  row_count?: number;
  truncated?: boolean;
  stored_truncated?: boolean;
}

export interface Message {
  id: string;
  role: 'user' | 'assistant';
  type: 'text' | 'query_result' | 'plot' | 'error' | 'suggestions';
  text?: string | null;
  plot_data?: PlotData | null;
  data?: QueryResult | Record<string, unknown> | null;
  stopped?: boolean;
  created_at?: string;
  /** A user message: what it asked for. */
  kind?: 'message' | 'auto_analyze';
  /** On an answer's last message: who wrote it, its tokens and cost. */
  answer?: AnswerUsage;
}

export interface SessionDetail {
  id: string;
  title: string;
  created_at: string;
  file: FileInfo;
  messages: Message[];
}

export interface ColumnProfile {
  name: string;
  type?: string;
  null_count?: number;
  distinct_approx?: number;
  min?: unknown;
  max?: unknown;
  mean?: number | null;
  stddev?: number | null;
  q25?: unknown;
  q50?: unknown;
  q75?: unknown;
  top_values?: { value: unknown; count: number }[] | null;
  /** Text cells holding numbers with a unit ("13,149 ft"): the unit; statistics are of the numbers. */
  unit?: string;
  /** Text cells holding lengths of time ("4:25"): statistics are in seconds. */
  duration?: boolean;
  [key: string]: unknown;
}

/** A fact about a dataset computed when it was profiled (duck/findings.go): a quality alert or a headline fact. */
export interface Finding {
  kind: string;
  alert: boolean;
  columns: string[];
  /** The sentence, as the analysts and the models' prompt say it ("about" marks an estimate). */
  text: string;
  /** The query whose result holds each number of the text. */
  sql: string;
  approx?: boolean;
}

export interface Profile {
  row_count?: number;
  duplicate_rows?: number;
  columns?: ColumnProfile[];
  findings?: Finding[];
  [key: string]: unknown;
}

// The WebSocket protocol comes from the Go definitions (events.gen.ts,
// checked by chat/events_test.go).
export type { ClientMessage, ServerEvent, UserMessageData } from './events.gen';

/** One bin of a column's mini histogram: [start, end); times in Unix milliseconds. */
export interface HistogramBin {
  start: number;
  end: number;
  count: number;
}

/** GET /api/sessions/{id}/profile/bins: histograms of the number and time columns. */
export interface ProfileBins {
  /** approx: counts estimated from a sample of a large dataset. */
  columns: { name: string; scale: 'number' | 'time'; bins: HistogramBin[]; approx?: boolean }[];
}
