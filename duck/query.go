package duck

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/analyzerhq/analyzer/apperr"
)

// Query runs untrusted SQL in the session's sandbox, where the dataset is
// the view `data`. Exactly one read-only statement is accepted.
func (e *Engine) Query(ctx context.Context, sessionID, text string) (*Result, error) {
	start := time.Now()
	if _, err := e.sessionDir(sessionID); err != nil {
		return nil, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, apperr.New(apperr.Invalid, "the query is empty")
	}
	if len(text) > e.cfg.MaxQueryBytes {
		return nil, apperr.Newf(apperr.TooLarge, "the query is longer than %d bytes", e.cfg.MaxQueryBytes)
	}
	if err := e.oneStatement(text); err != nil {
		return nil, err
	}

	b, release, err := e.acquire(sessionID)
	if err != nil {
		return nil, err
	}
	defer release()
	qctx, cancel := b.queryContext(ctx, e.cfg.QueryTimeout)
	defer cancel()

	res, err := e.runUntrusted(qctx, b, text)
	if err != nil {
		return nil, queryError(err, context.Cause(qctx), b.scrub, e.cfg.QueryTimeout)
	}
	res.ElapsedMS = time.Since(start).Milliseconds()
	return res, nil
}

// cancelGrace is how long a cancelled query may take to stop. DuckDB
// checks for interrupts between vectors, but one long expression (a
// constant repeat('x', 1e9) folded at planning) can run for seconds.
const cancelGrace = 500 * time.Millisecond

// runUntrusted runs text on a clean instance of its own. If the context
// ends and DuckDB does not stop within cancelGrace, the caller gets its
// answer anyway and the instance is left to finish and close in the
// background; the session's query slot stays taken until it does, so
// runaway statements cannot pile up.
func (e *Engine) runUntrusted(ctx context.Context, b *sandbox, text string) (*Result, error) {
	select {
	case b.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	db, err := b.takeClean(ctx)
	if err != nil {
		<-b.slots
		return nil, err
	}
	type outcome struct {
		res *Result
		err error
	}
	done := make(chan outcome, 1)
	e.background.Add(1)
	go func() {
		defer e.background.Done()
		defer func() { <-b.slots }()
		res, err := e.runOn(ctx, db, b.scrub, text)
		done <- outcome{res, err} // buffered: the caller is not kept waiting
		// The instance served this query only: whatever the statement
		// did to it goes away here.
		if cerr := db.Close(); cerr != nil {
			e.log.Warn("duck: closing a query instance", "err", cerr)
		}
	}()
	select {
	case o := <-done:
		return o.res, o.err
	case <-ctx.Done():
	}
	t := time.NewTimer(cancelGrace)
	defer t.Stop()
	select {
	case o := <-done:
		return o.res, o.err
	case <-t.C:
		return nil, ctx.Err()
	}
}

func (e *Engine) runOn(ctx context.Context, db *sql.DB, s *scrubber, text string) (*Result, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()

	st, err := statementType(ctx, conn, text)
	if err != nil {
		return nil, err
	}
	if !readOnly[st] {
		return nil, apperr.New(apperr.Invalid, "only read-only queries are allowed (SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, PIVOT, EXPLAIN)")
	}
	if st == duckdb.STATEMENT_TYPE_EXPLAIN {
		if text, err = e.explainable(ctx, conn, text); err != nil {
			return nil, err
		}
	}

	limit := e.cfg.MaxResultRows
	stmt, wrapped := e.prepareCapped(ctx, conn, text, st, limit)
	if stmt == nil {
		if stmt, err = conn.PrepareContext(ctx, text); err != nil {
			return nil, err
		}
	}
	defer stmt.Close()

	start := time.Now()
	res, err := collect(ctx, stmt, limit, s)
	if err != nil {
		return nil, err
	}
	if res.Truncated && wrapped {
		// The total is worth one more scan only when that scan is cheap
		// next to the query itself; otherwise row_count stays len(Rows).
		budget := min(max(time.Since(start), 200*time.Millisecond), 2*time.Second)
		if total, ok := countRows(ctx, conn, "SELECT count(*) FROM (\n"+trimStatement(text)+"\n)", budget); ok {
			res.RowCount = total
		}
	}
	return res, nil
}

// prepareCapped nests a SELECT in "SELECT * FROM (...) LIMIT n+1" so DuckDB
// stops after the rows we keep instead of materialising the whole result.
// The wrapper is itself checked to be one SELECT; when it does not parse or
// bind (rare: a trailing comment after a semicolon, say), nil is returned and
// the statement runs as written, still bounded by the memory limit.
func (e *Engine) prepareCapped(ctx context.Context, conn *sql.Conn, text string, st duckdb.StmtType, limit int) (*sql.Stmt, bool) {
	if st != duckdb.STATEMENT_TYPE_SELECT {
		return nil, false
	}
	w := "SELECT * FROM (\n" + trimStatement(text) + "\n) LIMIT " + strconv.Itoa(limit+1)
	// One statement that starts with SELECT is a SELECT: no need to ask.
	if n, err := e.parser.count(w); err != nil || n != 1 {
		return nil, false
	}
	stmt, err := conn.PrepareContext(ctx, w)
	if err != nil {
		return nil, false
	}
	return stmt, true
}

// countRows runs a count(*) query within budget; ok is false if it did not
// finish in time or failed.
func countRows(ctx context.Context, conn *sql.Conn, q string, budget time.Duration) (int64, bool) {
	cctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	var n int64
	if err := conn.QueryRowContext(cctx, q).Scan(&n); err != nil {
		return 0, false
	}
	return n, true
}
