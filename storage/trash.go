package storage

import (
	"context"
	"time"

	"github.com/analyzerhq/analyzer/apperr"
)

// A deleted session is first marked (deleted_at): it leaves the user's
// list and every API at once, but its row, messages and files stay for the
// undo window, during which RestoreSession brings it back. After the
// window the server purges it: files first, then the row (PurgeSession),
// so that a crash between the two leaves a marked row that the next purge
// finishes, never a dataset without its row.

// SoftDeleteSession marks the user's live session deleted at the time at.
func (db *DB) SoftDeleteSession(ctx context.Context, userID, id string, at time.Time) error {
	defer db.cache.dropSessions(userID)
	res, err := db.bun.NewUpdate().Model((*Session)(nil)).Set("deleted_at = ?", at.UTC()).
		Where("id = ?", id).Where("user_id = ?", userID).Where("deleted_at IS NULL").Exec(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not delete the session", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errSessionNotFound
	}
	return nil
}

// RestoreSession brings back the user's session deleted at or after
// since; one deleted earlier (or purged) is NotFound.
func (db *DB) RestoreSession(ctx context.Context, userID, id string, since time.Time) error {
	defer db.cache.dropSessions(userID)
	res, err := db.bun.NewUpdate().Model((*Session)(nil)).Set("deleted_at = NULL").
		Where("id = ?", id).Where("user_id = ?", userID).
		Where("deleted_at IS NOT NULL").Where("deleted_at >= ?", since.UTC()).Exec(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not restore the session", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "this session can no longer be restored")
	}
	return nil
}

// DeletedBefore lists the sessions deleted before t, whoever owns them:
// the ones whose undo window is over.
func (db *DB) DeletedBefore(ctx context.Context, t time.Time) ([]string, error) {
	var ids []string
	err := db.bun.NewSelect().Model((*Session)(nil)).Column("id").
		Where("deleted_at IS NOT NULL").Where("deleted_at < ?", t.UTC()).Scan(ctx, &ids)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not list deleted sessions", err)
	}
	return ids, nil
}

// PurgeSession removes a deleted session's row; its files and messages
// cascade. A live session is left alone.
func (db *DB) PurgeSession(ctx context.Context, id string) error {
	defer db.cache.dropSessions("")
	_, err := db.bun.NewDelete().Model((*Session)(nil)).
		Where("id = ?", id).Where("deleted_at IS NOT NULL").Exec(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not delete the session", err)
	}
	return nil
}

// RenameSession sets the title of the user's session, as the user chose
// it: the analyst's proposed title no longer replaces it.
func (db *DB) RenameSession(ctx context.Context, userID, id, title string) error {
	defer db.cache.dropSessions(userID)
	res, err := db.bun.NewUpdate().Model((*Session)(nil)).Set("title = ?", title).Set("title_by_user = ?", true).
		Where("id = ?", id).Where("user_id = ?", userID).Where("deleted_at IS NULL").Exec(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not save the title", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errSessionNotFound
	}
	return nil
}

// SetProposedTitle sets the title the analyst proposed, unless the user
// named the session; it reports whether the title changed.
func (db *DB) SetProposedTitle(ctx context.Context, id, title string) (bool, error) {
	defer db.cache.dropSessions("")
	res, err := db.bun.NewUpdate().Model((*Session)(nil)).Set("title = ?", title).
		Where("id = ?", id).Where("title_by_user = ?", false).Exec(ctx)
	if err != nil {
		return false, apperr.Wrap(apperr.Internal, "could not save the title", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}
