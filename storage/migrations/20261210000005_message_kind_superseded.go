package migrations

import (
	"context"
	"encoding/json"

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
//
// The marker is read in Go, not with a dialect's JSON functions, so that
// the same migration runs on SQLite and PostgreSQL.
func init() {
	All.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, col := range []string{"kind TEXT NOT NULL DEFAULT ''", "superseded_by TEXT"} {
				if _, err := tx.NewAddColumn().Table("messages").ColumnExpr(col).Exec(ctx); err != nil {
					return err
				}
			}
			var rows []struct {
				ID   string `bun:"id"`
				Data string `bun:"data"`
			}
			if err := tx.NewSelect().Table("messages").Column("id", "data").
				Where("role = 'user'").Where("data IS NOT NULL").Scan(ctx, &rows); err != nil {
				return err
			}
			var marked []string
			for _, r := range rows {
				var m struct {
					Kind string `json:"kind"`
				}
				if json.Unmarshal([]byte(r.Data), &m) == nil && m.Kind == "auto_analyze" {
					marked = append(marked, r.ID)
				}
			}
			if len(marked) > 0 {
				if _, err := tx.NewUpdate().Table("messages").Set("kind = 'auto_analyze'").Set("data = NULL").
					Where("id IN (?)", bun.In(marked)).Exec(ctx); err != nil {
					return err
				}
			}
			_, err := tx.NewUpdate().Table("messages").Set("kind = 'message'").
				Where("role = 'user'").Where("kind = ''").Exec(ctx)
			return err
		})
	}, func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewUpdate().Table("messages").Set(`data = '{"kind":"auto_analyze"}'`).
				Where("kind = 'auto_analyze'").Exec(ctx); err != nil {
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
