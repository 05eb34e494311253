// Package duck is the data engine: it turns an uploaded CSV or Parquet file
// into a typed Parquet copy, profiles it, and runs untrusted read-only SQL
// on it in locked-down DuckDB instances.
//
// Layout on disk, per session:
//
//	DATA_DIR/{sessionID}/original.csv|original.parquet  the upload, kept for download
//	DATA_DIR/{sessionID}/data.parquet                    typed zstd copy every read uses
//	DATA_DIR/{sessionID}/profile.json                    profile computed after ingest
//	DATA_DIR/{sessionID}/tmp/                            spill space, only while ingesting
//
// # Ingest
//
// The format comes from the content (magic bytes), checked against the
// user's extension. A CSV is sniffed once by DuckDB (sniff_csv), then
// written to Parquet in one COPY with null_padding (ragged rows) and
// store_rejects (bad rows are skipped, counted and sampled). Retries cover
// what the first pass can reveal: Latin-1 after invalid UTF-8, a whole-file
// type sniff when more than 1% of lines do not fit the sampled types, a
// larger max_line_size for huge fields, and plain text when a detected date
// format stops matching. UTF-16 BE is transcoded first (DuckDB reads LE).
// A Parquet upload is checked from its footer (row counts) before any data
// is read. Empty and duplicate column names are made unique. Ingests run one
// at a time, in a fresh instance confined to the session directory, with
// MemoryLimit and a temp directory inside it. The profile is computed in the
// background right after; Profile waits for it.
//
// # Sandbox
//
// Untrusted SQL runs on an in-memory instance that is configured before
// anything else (extensions off, memory and threads capped, external access
// off except the session's data.parquet, configuration locked) and that
// serves that one query only: a SELECT can still change an instance
// (FROM enable_logging(...), EXPLAIN ANALYZE CREATE ...), so a fresh
// instance per query is what makes "nothing persists" true. A spare
// instance per session is opened in the background so queries do not wait
// for it; spares are closed when the session is idle.
//
// Only one statement is accepted (by DuckDB's parser), and only if DuckDB
// types it SELECT (which covers WITH, FROM-first, DESCRIBE, SHOW, SUMMARIZE,
// PIVOT) or EXPLAIN. EXPLAIN ANALYZE runs its statement, on that throwaway,
// locked instance.
//
// There is no temp directory in the sandbox: DuckDB would allow writes into
// it and show its path. Queries needing more than QueryMemoryLimit fail.
//
// Paths: the session's own file path is visible to SQL through settings
// and catalog functions (duckdb_settings() shows allowed_paths,
// duckdb_views() the view). These functions stay available; every string
// in a result, column name and error message has DATA_DIR removed, so the
// client sees "{id}/data.parquet". SQL that deliberately encodes a setting
// (reverse(current_setting('allowed_paths'))) can still learn DATA_DIR;
// settings that default to the home directory point to /nonexistent, and
// this DuckDB build has no getenv(), so no environment variable or home
// directory is reachable.
package duck
