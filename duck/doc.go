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
// is read. Empty and duplicate column names are made unique. Each ingest
// runs in a fresh instance confined to the session directory, with its
// memory share (below) and a temp directory inside it. The profile is
// computed in the background right after, on the same instance and share;
// Profile waits for it.
//
// Before DuckDB sees a CSV, Go reads it once for its physical lines: a line
// longer than MaxCSVLineBytes (16 MiB) refuses the file at once ("line 1 is
// longer than 16 MB ..."), since DuckDB would take minutes to fail on it (a
// file that is one 200 MB line ran for over ten). The max_line_size retry
// therefore goes to 16 MiB only. IngestWith bounds the whole ingest
// (waiting, every retry) by IngestOptions.Timeout (Config.IngestTimeout,
// default 10m); when it passes or the caller's context is cancelled,
// DuckDB is interrupted and the session's files are removed. An owner
// (IngestOptions.Owner, the user) runs one ingest at a time; other owners
// are not held up by it. A session ingests one file at a time.
//
// # Memory budget
//
// Config.MemoryBudget (default: half the machine's or cgroup's memory) is
// what all DuckDB instances may use together. A query instance's
// memory_limit is min(QueryMemoryLimit, budget/4), an ingest's
// min(MemoryLimit, budget/2) (MemoryShares); a weighted semaphore hands
// these shares out. A query takes its share before it runs and gives it
// back when its instance is closed (also when it outlived its caller); the
// pre-opened spare holds none, Preview takes one while it runs. A query
// that gets no share within BudgetWait (5s) is refused with
// apperr.Unavailable ("the server is busy with other queries"). Ingests
// poll for theirs (they do not queue ahead of queries) up to their timeout,
// and together never hold more than the budget minus one query share.
// DuckDB's memory is thus bounded by the budget; Go's by the result limits
// below.
//
// # Results
//
// A SELECT runs as "SELECT * FROM (...) LIMIT MaxResultRows+1", nested in a
// projection that, by position, cuts every value of a variable-size type
// (VARCHAR, BLOB, JSON, BIT, BIGNUM, LIST, STRUCT, MAP, ARRAY, UNION, ...)
// whose text is longer than the cell limit (MaxCellBytes, 64 KiB, less when
// the columns are many): the value becomes NULL and a hidden VARCHAR column
// carries its first bytes, so no longer string is ever made in Go. Such a
// cell shows as that text followed by CutMarker ("…"), whatever the
// column's type, and Result.CutCells counts them; columns and types are
// those of the statement. collect counts bytes cell by cell and stops at
// MaxResultBytes (8 MiB): Truncated with TruncatedReason TruncatedBytes
// (TruncatedRows for the row limit). A SELECT whose wrapper cannot be
// prepared (PRAGMA table_info, which DuckDB turns into a SELECT that does
// not nest) is refused rather than run unbounded; trailing comments are
// dropped by re-rendering the statement from DuckDB's syntax tree. EXPLAIN
// output is plan text, counted the same way. The result of the LIMIT
// wrapper is materialised by DuckDB within the query's memory share.
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
// it and show its path. Queries needing more than their memory share fail.
//
// Paths: on Linux, the sandbox never names DATA_DIR to DuckDB. It opens
// data.parquet once per session (through a hard link removed at once) and
// gives DuckDB /proc/self/fd/N: DuckDB canonicalises allowed_paths with
// realpath, which would turn a plain descriptor path back into
// DATA_DIR/...; the removed link makes realpath fail, so allowed_paths
// reads /proc/{pid}/fd/N and the view read_parquet('/proc/self/fd/N').
// Settings, duckdb_views(), parquet_metadata() and error messages therefore
// hold no DATA_DIR for SQL to encode (replace, upper, to_base64, ...). The
// real path is not readable, and an instance reads its own descriptor
// only: the descriptor stays open while the sandbox or any of its
// instances lives, so its number cannot be reused for another session's
// file while an instance that allows it exists. Elsewhere (no /proc) the
// file is named by its path, and SQL that deliberately encodes a setting
// (reverse(current_setting('allowed_paths'))) can learn DATA_DIR. On every
// OS, every string in a result, column name and error message still has
// DATA_DIR removed (a second line); settings that default to the home
// directory point to /nonexistent, and this DuckDB build has no getenv(),
// so no environment variable or home directory is reachable.
package duck
