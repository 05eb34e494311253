package duck

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// openWorkDB opens a short-lived instance that ingests or profiles one
// session, with the given memory_limit (the ingest share, or the smaller
// profile limit). It runs only our own SQL, but is still confined to the
// session's directory; it spills to dir/tmp so that a file bigger than RAM
// converts, and a profile of many rows is computed, within that limit.
func (e *Engine) openWorkDB(ctx context.Context, dir string, limit int64) (*sql.DB, error) {
	q := url.Values{}
	q.Set("threads", strconv.Itoa(e.cfg.Threads))
	q.Set("memory_limit", memoryLimit(limit))
	q.Set("temp_directory", filepath.Join(dir, tempName))
	q.Set("max_temp_directory_size", e.cfg.MaxTempDirSize)
	q.Set("preserve_insertion_order", strconv.FormatBool(e.cfg.PreserveInsertionOrder))
	q.Set("autoinstall_known_extensions", "false")
	q.Set("autoload_known_extensions", "false")
	q.Set("allow_community_extensions", "false")
	q.Set("extension_directory", neutralDir)
	q.Set("secret_directory", neutralDir)
	e.log.Debug("duck: work instance", "dir", filepath.Base(dir), "memory_limit", limit)
	connector, err := duckdb.NewConnector("?"+q.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("duck: work db: %w", err)
	}
	db := sql.OpenDB(connector)
	// One connection: the rejects tables read_csv creates are visible
	// to the statements that follow on the same instance anyway, and one
	// statement at a time already uses every thread.
	db.SetMaxOpenConns(1)
	for _, stmt := range []string{
		"SET allowed_directories = [" + QuoteString(dir+string(filepath.Separator)) + "]",
		"SET enable_external_access = false",
		"SET parquet_metadata_cache = true",
		"SET lock_configuration = true",
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			db.Close()
			return nil, fmt.Errorf("duck: work db setup %q: %w", stmt, err)
		}
	}
	return db, nil
}
