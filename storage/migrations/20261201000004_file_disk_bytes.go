package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The bytes a session's dataset takes on disk: the original upload and its
// typed Parquet copy, measured at upload. Rows stored before this
// migration keep 0, which means "not measured": the quota then measures
// the session's directory on disk instead.
func init() {
	All.MustRegister(func(ctx context.Context, db *bun.DB) error {
		_, err := db.NewAddColumn().Table("files").ColumnExpr("disk_bytes BIGINT NOT NULL DEFAULT 0").Exec(ctx)
		return err
	}, func(ctx context.Context, db *bun.DB) error {
		_, err := db.NewDropColumn().Table("files").Column("disk_bytes").Exec(ctx)
		return err
	})
}
