package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Two columns of a message:
//
//   - kind: what a user message asked for ("message" or "auto_analyze").
//     It replaces the marker {"kind":"auto_analyze"} that was kept in the
//     data column; the rows that carry the marker are moved over.
//   - superseded_by: set on the messages a retried or edited question
//     replaced, to the id of the user message whose reply replaced them.
//     They stay stored (the history says what happened) and are left out
//     of the conversation that is shown and replayed.
func init() {
	All.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, col := range []string{"kind TEXT NOT NULL DEFAULT ''", "superseded_by TEXT"} {
				if _, err := tx.NewAddColumn().Table("messages").ColumnExpr(col).Exec(ctx); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET kind = 'auto_analyze', data = NULL
				WHERE role = 'user' AND data IS NOT NULL AND json_valid(data) AND json_extract(data, '$.kind') = 'auto_analyze'`); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE messages SET kind = 'message' WHERE role = 'user' AND kind = ''`)
			return err
		})
	}, func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET data = '{"kind":"auto_analyze"}' WHERE kind = 'auto_analyze'`); err != nil {
				return err
			}
			for _, col := range []string{"superseded_by", "kind"} {
				if _, err := tx.NewDropColumn().Table("messages").Column(col).Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
