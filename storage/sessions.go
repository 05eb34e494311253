package storage

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/analyzerhq/analyzer/apperr"
)

// errSessionNotFound is what a caller sees for a missing session and for
// somebody else's: the two must be indistinguishable.
var errSessionNotFound = apperr.New(apperr.NotFound, "session not found")

// NewSessionID returns an id for a session about to be created, so that the
// data engine can store its files under it first.
func NewSessionID() string { return newID() }

// CreateSession stores a session and its file in one transaction. s.ID must
// be set (see NewSessionID); the other ids and times are filled in.
func (db *DB) CreateSession(ctx context.Context, s *Session, f *File) error {
	s.CreatedAt = now()
	f.ID = newID()
	f.SessionID = s.ID
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(s).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(f).Exec(ctx)
		return err
	})
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not save the session", err)
	}
	s.File = f
	return nil
}

// ListSessions returns a user's sessions with their files, most recent first.
func (db *DB) ListSessions(ctx context.Context, userID string) ([]Session, error) {
	sessions := []Session{}
	err := db.bun.NewSelect().Model(&sessions).
		Relation("File", func(q *bun.SelectQuery) *bun.SelectQuery {
			// The list shows counts, not the column lists.
			return q.ExcludeColumn("columns", "column_types")
		}).
		Where("?TableAlias.user_id = ?", userID).
		Order("session.created_at DESC", "session.id DESC").
		Scan(ctx)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not list sessions", err)
	}
	return sessions, nil
}

// GetSession returns the user's session with its file; another user's
// session is NotFound.
func (db *DB) GetSession(ctx context.Context, userID, id string) (*Session, error) {
	s := new(Session)
	err := db.bun.NewSelect().Model(s).Relation("File").
		Where("?TableAlias.id = ?", id).Where("?TableAlias.user_id = ?", userID).
		Scan(ctx)
	if err := notFound(err, "session not found"); err != nil {
		if apperr.KindOf(err) == apperr.NotFound {
			return nil, errSessionNotFound
		}
		return nil, err
	}
	return s, nil
}

// DeleteSession deletes the user's session; files and messages cascade.
func (db *DB) DeleteSession(ctx context.Context, userID, id string) error {
	res, err := db.bun.NewDelete().Model((*Session)(nil)).
		Where("id = ?", id).Where("user_id = ?", userID).Exec(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not delete the session", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errSessionNotFound
	}
	return nil
}

// SetTitle changes a session's title.
func (db *DB) SetTitle(ctx context.Context, id, title string) error {
	_, err := db.bun.NewUpdate().Model((*Session)(nil)).Set("title = ?", title).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not save the title", err)
	}
	return nil
}

// SessionIDs returns the id of every session, for reconciling the data
// directory with the database.
func (db *DB) SessionIDs(ctx context.Context) ([]string, error) {
	var ids []string
	if err := db.bun.NewSelect().Model((*Session)(nil)).Column("id").Scan(ctx, &ids); err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not list sessions", err)
	}
	return ids, nil
}
