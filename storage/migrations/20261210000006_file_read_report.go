package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// What the data engine reports about how it read a CSV: the encoding it
// was read as, the lines it left out (preamble, comments), and the rest
// (replaced bytes, removed NULs, padded rows, the notes shown on the
// dataset card) as JSON. Rows stored before keep the defaults: nothing
// was reported for them.
func init() {
	All.MustRegister(func(ctx context.Context, db *bun.DB) error {
		for _, col := range []string{
			"encoding TEXT NOT NULL DEFAULT ''",
			"skipped_lines BIGINT NOT NULL DEFAULT 0",
			"read_report TEXT",
		} {
			if _, err := db.NewAddColumn().Table("files").ColumnExpr(col).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	}, func(ctx context.Context, db *bun.DB) error {
		for _, col := range []string{"read_report", "skipped_lines", "encoding"} {
			if _, err := db.NewDropColumn().Table("files").Column(col).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
}
