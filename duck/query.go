package duck

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/analyzerhq/analyzer/apperr"
)

// Query runs untrusted SQL in the session's sandbox, where the dataset is
// the view `data`. Exactly one read-only statement is accepted.
func (e *Engine) Query(ctx context.Context, sessionID, text string) (*Result, error) {
	start := time.Now()
	if err := e.fetch(ctx, sessionID); err != nil {
		return nil, err
	}
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

	b, release, err := e.acquire(ctx, sessionID)
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
	// The memory share is taken before the query runs and given back
	// only once its instance is closed, even when the query outlives
	// its caller.
	grant, err := e.budget.acquireQuery(ctx)
	if err != nil {
		<-b.slots
		return nil, err
	}
	e.running.Add(1)
	db, err := b.takeClean(ctx)
	if err != nil {
		e.running.Add(-1)
		grant()
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
		if cerr := b.closeInstance(db); cerr != nil {
			e.log.Warn("duck: closing a query instance", "err", cerr)
		}
		grant()
		// Replacements are opened once no query runs, not beside one.
		if e.running.Add(-1) == 0 {
			e.pool.fill()
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
	limit := e.cfg.MaxResultRows
	if st == duckdb.STATEMENT_TYPE_EXPLAIN {
		// Plan text: a few rows, counted like any result.
		if text, err = e.explainable(ctx, conn, text); err != nil {
			return nil, err
		}
		stmt, err := conn.PrepareContext(ctx, text)
		if err != nil {
			return nil, err
		}
		defer stmt.Close()
		return collect(ctx, stmt, limit, e.cfg.MaxResultBytes, nil, s)
	}

	stmt, lay, err := e.prepareCapped(ctx, conn, text, limit)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()

	start := time.Now()
	res, err := collect(ctx, stmt, limit, e.cfg.MaxResultBytes, lay, s)
	if err != nil {
		return nil, err
	}
	if res.TruncatedReason == TruncatedRows {
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
// stops after the rows we keep instead of materialising the whole result,
// and that in the projection that cuts long values (prepareBounded). The
// wrapper is itself checked to be the same statement (one, or the several
// DuckDB makes of a PIVOT). text was prepared already, so when the wrapper
// does not parse or bind (a trailing clause after a semicolon, a type that
// has no text form), the query is refused rather than run unbounded.
func (e *Engine) prepareCapped(ctx context.Context, conn *sql.Conn, text string, limit int) (*sql.Stmt, *layout, error) {
	stmt, lay, err := e.tryCapped(ctx, conn, text, limit)
	if err == nil || ctx.Err() != nil {
		return stmt, lay, err
	}
	// DuckDB's own rendering of the statement has no comments and no
	// semicolon ("SELECT 1; -- done" nests as "SELECT 1").
	if canon, ok := canonicalSQL(ctx, conn, text); ok {
		if stmt, lay, cerr := e.tryCapped(ctx, conn, canon, limit); cerr == nil {
			return stmt, lay, nil
		}
	}
	return nil, nil, err
}

func (e *Engine) tryCapped(ctx context.Context, conn *sql.Conn, text string, limit int) (*sql.Stmt, *layout, error) {
	w := cappedQuery(text, limit)
	n, err := e.parser.count(w)
	if err != nil || n < 1 {
		return nil, nil, errUnbounded
	}
	if n > 1 {
		if n0, err := e.parser.count(text); err != nil || n0 != n {
			return nil, nil, errUnbounded
		}
	}
	stmt, lay, err := e.prepareBounded(ctx, conn, w)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, err
		}
		var de *duckdb.Error
		if errors.As(err, &de) && (de.Type == duckdb.ErrorTypeOutOfMemory || de.Type == duckdb.ErrorTypeInterrupt) {
			return nil, nil, err
		}
		return nil, nil, apperr.Wrap(apperr.Invalid, errUnbounded.Message, err)
	}
	return stmt, lay, nil
}

// canonicalSQL is DuckDB's rendering of a SELECT from its syntax tree; ok
// is false for anything else.
func canonicalSQL(ctx context.Context, conn *sql.Conn, text string) (string, bool) {
	var out sql.NullString
	err := conn.QueryRowContext(ctx, "SELECT json_deserialize_sql(json_serialize_sql(?::VARCHAR))", text).Scan(&out)
	if err != nil || !out.Valid || strings.TrimSpace(out.String) == "" {
		return "", false
	}
	return out.String, true
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
