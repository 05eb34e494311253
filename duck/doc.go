// Package duck is the data engine: it turns an uploaded CSV or Parquet file
// into a typed Parquet copy, profiles it, and runs untrusted read-only SQL
// on it in locked-down DuckDB instances.
//
// Layout on disk, per session:
//
//	DATA_DIR/{sessionID}/original.csv|original.parquet  the upload, kept for download
//	DATA_DIR/{sessionID}/data.parquet                    typed zstd copy every read uses
//	DATA_DIR/{sessionID}/preview.json                    the upload's first 100 rows, in file order
//	DATA_DIR/{sessionID}/profile.json                    profile computed after ingest
//	DATA_DIR/{sessionID}/values.json                     value index computed with the profile
//	DATA_DIR/{sessionID}/tmp/                            spill space, only while ingesting
//
// # Ingest
//
// The format comes from the content (magic bytes), checked against the
// user's extension. A Parquet upload is checked from its footer (row
// counts) before any data is read. Empty and duplicate column names are
// made unique. Each ingest runs in a fresh instance confined to the session
// directory, with its memory share (below) and a temp directory inside it.
// The profile is computed in the background right after, on the same
// instance and share; Profile waits for it. Exact distinct counts and
// quartiles (files up to ExactStatsRows) are computed column by column:
// their state is not fully bounded by memory_limit.
//
// # Preview
//
// data.parquet is written without insertion order (DuckDB then converts
// with full parallelism and bounded memory), so its first rows can come
// from anywhere in the file. At ingest the file's first StoredPreviewRows
// rows are read again in file order (a CSV by one thread, with the
// conversion's reader and types; a Parquet upload by row number), typed
// through a small Parquet file as data.parquet is, and kept as
// preview.json (a few ms). Preview answers up to that many rows from it
// without DuckDB or a memory share; a session ingested before
// preview.json existed gets one, from data.parquet, on its first preview.
//
// The server refuses a file Ingest would refuse for what it is (CheckHead:
// ZIP, PDF, binary junk, text named .parquet) from its first HeadBytes,
// while the rest is still arriving.
//
// # CSV: one pass in Go, then DuckDB
//
// Before DuckDB sees a CSV, Go reads it once (a fraction of a second per
// GB) for:
//
//   - lines: a line longer than MaxCSVLineBytes (16 MiB) refuses the file at
//     once ("line 1 is longer than 16 MB ..."), since DuckDB would take
//     minutes to fail on it; a line over DuckDB's 2 MB default within the
//     first 32 MB makes the first read use 16 MB. Lines starting with # or
//     ; are counted, to report comment lines.
//   - encoding, by content: UTF-16 by byte order mark or by the zero bytes
//     of mostly-ASCII text (LE or BE); otherwise UTF-8 unless invalid
//     bytes outnumber valid multi-byte sequences, in which case the file is
//     single-byte text: Windows-1252 when a byte in 0x80-0x9F occurs
//     (0x96 is an en dash), else Latin-1. A file that is mostly UTF-8 with
//     a few invalid bytes stays UTF-8: each bad byte becomes U+FFFD,
//     counted in Dataset.ReplacedBytes; it is never re-decoded whole.
//   - NUL bytes: a few are removed (Dataset.RemovedNULs); a file is refused
//     as binary only by magic bytes (ZIP, gzip, PDF, ...) or when more than
//     1% of its bytes (and more than 8) are NUL or control characters.
//
// A file that is not clean UTF-8 is converted once, to tmp/utf8.csv, and
// DuckDB reads that; Dataset.Encoding says what it was read as ("utf-8",
// "utf-16le", "utf-16be", "windows-1252", "latin-1") and Dataset.Notes
// says so in words ("read as Windows-1252"). The original is kept as
// uploaded. Clean UTF-8 (with or without BOM) is read in place.
//
// Then DuckDB's sniffer (sniff_csv) chooses the reader, first with DuckDB's
// defaults, exactly as DuckDB's own read_csv would: dialect, header, types,
// preamble lines (skip) and comment character. Those lines are left out
// as DuckDB leaves them out and reported: Dataset.SkippedLines and
// Dataset.Skipped ({kind: "preamble"|"comment", lines, first_line,
// reason}). When the defaults find a single column (DuckDB falls back to
// one column when rows have different numbers of fields), the sniffer runs
// again with null_padding and its answer is taken if it finds more
// columns. The file is then written to Parquet in one COPY with
// store_rejects (bad rows are skipped, counted in RejectedRows and
// sampled in Rejects). null_padding is used only when rows are ragged:
// chosen above, or after a first read rejected rows with missing fields
// (read again, same dialect, padded; Dataset.PaddedRows). A padded read of
// a file with a quote character is serial (parallel=false): DuckDB's
// parallel reader cannot pad rows around quoted newlines. Other retries:
// a whole-file type sniff when more than 1% of lines do not fit the
// sampled types, max_line_size 16 MiB for huge fields, and plain text
// when a detected date format stops matching.
//
// Reasons are in plain words, with the line and column when known and what
// was expected, not DuckDB's wording: "line 2: a quoted field is not closed
// (...)", "line 3: expected 3 fields, found 2" (or "found more": DuckDB
// stops counting at the first extra field), `column "amount": "x" is not a
// number like the rest of the column`, "no consistent CSV layout
// (delimiter, quoting, columns) was found". Rejected rows' samples use the
// same words.
//
// IngestWith bounds the whole ingest (waiting, every retry) by
// IngestOptions.Timeout (Config.IngestTimeout, default 10m); when it
// passes or the caller's context is cancelled, DuckDB is interrupted and
// the session's files are removed. An owner (IngestOptions.Owner, the
// user) runs one ingest at a time; other owners are not held up by it. A
// session ingests one file at a time.
//
// # Memory budget
//
// Config.MemoryBudget (default: half the machine's or cgroup's memory) is
// what all DuckDB instances may use together. A query instance's
// memory_limit is min(QueryMemoryLimit, budget/4), an ingest's
// min(MemoryLimit, budget/2) (MemoryShares); a weighted semaphore hands
// these shares out. A query takes its share before it runs and gives it
// back when its instance is closed (also when it outlived its caller); the
// pooled instances hold none (~2.3 MiB of RSS each while idle), a preview
// read from data.parquet takes one while it runs. A query
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
// instance per query is what makes "nothing persists" true.
//
// Opening an instance costs ~10 ms of CPU, so the engine keeps a pool of
// PooledInstances (2) opened with the sandbox's start-up configuration
// (threads, memory share, no temp directory, extensions off) but bound to
// no session. A query takes one and, before any other SQL runs on it, sets
// allowed_paths to its session's file, turns external access off, creates
// the view and locks the configuration (~2 ms); it is closed after that
// one query and never returns to the pool. The pool is refilled in the
// background once no query is running (not beside the query that emptied
// it), after an ingest, and when a session is first opened; an empty pool
// means a query opens its own instance.
//
// Sessions keep their sandbox (a shared instance for previews read from
// data.parquet, and the pinned data file) between queries, up to Config.MaxCachedSessions
// (default MemoryBudget/64 MiB, between 4 and 64): opening one more closes
// the least recently used idle session's instances (LRU); a session with a
// query or preview running is never closed, so the cache may exceed the
// cap only while every cached session is in use. An evicted session simply
// reopens on its next query (~20 ms). Idle sessions are also closed after
// IdleTimeout (5m).
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
