package duck

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/analyzerhq/analyzer/apperr"
)

// Preview returns the first limit rows of the session's data and, in
// RowCount, the dataset's total (from the Parquet footer, so it is free).
//
// Up to StoredPreviewRows rows come from preview.json, written at ingest
// from the upload in file order, without DuckDB. A session ingested
// before that file existed gets it here, from data.parquet, on its first
// preview.
func (e *Engine) Preview(ctx context.Context, sessionID string, limit int) (*Result, error) {
	start := time.Now()
	if limit <= 0 {
		limit = 10
	}
	limit = min(limit, e.cfg.MaxResultRows)
	if err := e.fetch(ctx, sessionID); err != nil {
		return nil, err
	}
	b, release, err := e.acquire(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	defer release()
	dir, err := e.datasetDir(sessionID, b.mounts[0].Dir) // what `data` reads
	if err != nil {
		return nil, err
	}
	stored := limit <= StoredPreviewRows
	if stored {
		if res, ok := readStoredPreview(dir, limit); ok {
			res.ElapsedMS = time.Since(start).Milliseconds()
			return res, nil
		}
	}
	want := limit
	if stored {
		want = min(StoredPreviewRows, e.cfg.MaxResultRows)
	}
	qctx, cancel := b.queryContext(ctx, e.cfg.QueryTimeout)
	defer cancel()

	res, err := func() (*Result, error) {
		// The shared instance's memory_limit is a query share: take one
		// for as long as the preview runs.
		grant, err := e.budget.acquireQuery(qctx)
		if err != nil {
			return nil, err
		}
		defer grant()
		db, err := b.sharedDB()
		if err != nil {
			return nil, err
		}
		conn, err := db.Conn(qctx)
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		res, err := e.collectBounded(qctx, conn, "SELECT * FROM data LIMIT "+strconv.Itoa(want), want, b.scrub)
		var ce *convertError
		if errors.As(err, &ce) {
			// A column the driver cannot convert (a MAP with list keys,
			// say): show the rows as text rather than nothing.
			res, err = e.collectBounded(qctx, conn, "SELECT COLUMNS(*)::VARCHAR FROM data LIMIT "+strconv.Itoa(want), want, b.scrub)
		}
		if err != nil {
			return nil, err
		}
		var total int64
		if err := conn.QueryRowContext(qctx, "SELECT count(*) FROM data").Scan(&total); err != nil {
			return nil, err
		}
		res.RowCount = total
		if total > int64(len(res.Rows)) && !res.Truncated {
			res.Truncated, res.TruncatedReason = true, TruncatedRows
		}
		return res, nil
	}()
	if err == nil && stored && want == StoredPreviewRows {
		if werr := writeStoredPreview(dir, res); werr != nil {
			e.log.Warn("duck: storing the preview", "session", sessionID, "err", werr)
		} else if r, ok := readStoredPreview(dir, limit); ok {
			res = r // the same rows, as every later preview reads them
		}
	}
	if err != nil {
		err = queryError(err, context.Cause(qctx), b.scrub, e.cfg.QueryTimeout)
		if apperr.KindOf(err) == apperr.Invalid {
			// Our own SQL on our own file: a failure here is not the user's.
			return nil, apperr.Wrap(apperr.Internal, "internal error", errors.Unwrap(err))
		}
		return nil, err
	}
	res.ElapsedMS = time.Since(start).Milliseconds()
	return res, nil
}

// collectBounded reads our own capped SELECT with values cut like a
// query's.
func (e *Engine) collectBounded(ctx context.Context, conn *sql.Conn, capped string, limit int, s *scrubber) (*Result, error) {
	stmt, lay, err := e.prepareBounded(ctx, conn, capped)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	return collect(ctx, stmt, limit, e.cfg.MaxResultBytes, lay, s)
}
