package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// A user's token version: it is carried in every token issued to them and
// raised by a password change, so that tokens issued before it stop
// working. Existing accounts start at 0, as do the tokens already issued
// (they carry no version).
func init() {
	All.MustRegister(func(ctx context.Context, db *bun.DB) error {
		_, err := db.NewAddColumn().Table("users").ColumnExpr("token_version BIGINT NOT NULL DEFAULT 0").Exec(ctx)
		return err
	}, func(ctx context.Context, db *bun.DB) error {
		_, err := db.NewDropColumn().Table("users").Column("token_version").Exec(ctx)
		return err
	})
}
