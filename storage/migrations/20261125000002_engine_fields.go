package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Columns added to the contract's schema: what the data engine learns at
// ingest (types, format, size, rejected rows) and, for messages,
// the payload of results and tool calls, token usage and whether a turn was
// stopped.
var engineFields = []struct {
	table, column, ddl string
}{
	{"files", "column_types", "column_types TEXT"},
	{"files", "format", "format VARCHAR NOT NULL DEFAULT ''"},
	{"files", "size_bytes", "size_bytes BIGINT NOT NULL DEFAULT 0"},
	{"files", "rejected_rows", "rejected_rows BIGINT NOT NULL DEFAULT 0"},
	{"messages", "data", "data TEXT"},
	{"messages", "usage", "usage TEXT"},
	{"messages", "stopped", "stopped BOOLEAN NOT NULL DEFAULT FALSE"},
}

func init() {
	All.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, f := range engineFields {
				if _, err := tx.NewAddColumn().Table(f.table).ColumnExpr(f.ddl).Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
	}, func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for i := len(engineFields) - 1; i >= 0; i-- {
				f := engineFields[i]
				if _, err := tx.NewDropColumn().Table(f.table).Column(f.column).Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
