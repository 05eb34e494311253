package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Two columns of a session:
//
//   - deleted_at: set when the user deletes it. The session is hidden at
//     once and may be brought back for a short while (the undo); then its
//     files and its row go. NULL for a live session.
//   - title_by_user: the user named it, so the title the analyst proposes
//     after the first exchange does not replace it.
func init() {
	All.MustRegister(func(ctx context.Context, db *bun.DB) error {
		for _, col := range []string{"deleted_at TIMESTAMP", "title_by_user BOOLEAN NOT NULL DEFAULT false"} {
			if _, err := db.NewAddColumn().Table("sessions").ColumnExpr(col).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	}, func(ctx context.Context, db *bun.DB) error {
		// The sessions being deleted are deleted for good first: once the
		// column is gone nothing would mark them.
		if _, err := db.ExecContext(ctx, "DELETE FROM sessions WHERE deleted_at IS NOT NULL"); err != nil {
			return err
		}
		for _, col := range []string{"title_by_user", "deleted_at"} {
			if _, err := db.NewDropColumn().Table("sessions").Column(col).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
}
