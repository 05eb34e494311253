package duck

import (
	"context"
	"database/sql"

	"github.com/analyzerhq/analyzer/apperr"
)

const (
	// maxParquetRows refuses footers that claim more rows than a 1 GB
	// upload can sensibly hold (a run-length-encoded column can make a
	// tiny file "hold" billions); converting them would only burn CPU.
	maxParquetRows = 1_000_000_000
	maxColumns     = 10_000
)

// convertParquet checks the footer before reading any data, then rewrites
// the file as our typed zstd copy (renaming empty/duplicate columns). The
// rewrite reads every page, so a damaged file fails here.
func convertParquet(ctx context.Context, db *sql.DB, orig, out string) ([]Column, error) {
	p := QuoteString(orig)
	var rows, groups int64
	if err := db.QueryRowContext(ctx, "SELECT num_rows, num_row_groups FROM parquet_file_metadata("+p+")").Scan(&rows, &groups); err != nil {
		return nil, err
	}
	if rows < 0 || groups < 0 {
		return nil, apperr.New(apperr.Invalid, "the Parquet file is damaged: its footer has negative counts")
	}
	if rows > maxParquetRows {
		return nil, apperr.Newf(apperr.Invalid, "the Parquet file claims %d rows, more than the %d allowed", rows, int64(maxParquetRows))
	}
	var sum sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT sum(n) FROM (SELECT DISTINCT row_group_id, row_group_num_rows AS n FROM parquet_metadata("+p+"))").Scan(&sum); err != nil {
		return nil, err
	}
	if sum.Int64 != rows {
		return nil, apperr.New(apperr.Invalid, "the Parquet file is damaged: its row counts disagree")
	}
	cols, err := describe(ctx, db, "SELECT * FROM read_parquet("+p+")")
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, apperr.New(apperr.Invalid, "the Parquet file has no columns")
	}
	if len(cols) > maxColumns {
		return nil, apperr.Newf(apperr.Invalid, "the file has %d columns, more than the %d allowed", len(cols), maxColumns)
	}
	_, err = db.ExecContext(ctx, "COPY (SELECT "+projection(cols, nil)+" FROM read_parquet("+p+")) TO "+QuoteString(out)+
		" (FORMAT parquet, COMPRESSION zstd)")
	return cols, err
}
