package storage

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/analyzerhq/analyzer/apperr"
)

// AddMessage stores a message; its id and time are filled in.
func (db *DB) AddMessage(ctx context.Context, m *Message) error {
	m.ID = newID()
	m.CreatedAt = now()
	if _, err := db.bun.NewInsert().Model(m).Exec(ctx); err != nil {
		return apperr.Wrap(apperr.Internal, "could not save the message", err)
	}
	return nil
}

// ListMessages returns a session's current conversation in the order it
// was stored: the messages no retry or edit replaced.
func (db *DB) ListMessages(ctx context.Context, sessionID string) ([]Message, error) {
	return db.listMessages(ctx, sessionID, func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("superseded_by IS NULL")
	})
}

// ListAllMessages returns every stored message of a session, the replaced
// ones included, in the order they were stored.
func (db *DB) ListAllMessages(ctx context.Context, sessionID string) ([]Message, error) {
	return db.listMessages(ctx, sessionID, func(q *bun.SelectQuery) *bun.SelectQuery { return q })
}

func (db *DB) listMessages(ctx context.Context, sessionID string, filter func(*bun.SelectQuery) *bun.SelectQuery) ([]Message, error) {
	msgs := []Message{}
	// Ids are time-ordered UUIDs: they break ties between equal timestamps.
	q := db.bun.NewSelect().Model(&msgs).Where("session_id = ?", sessionID)
	err := filter(q).Order("created_at ASC", "id ASC").Scan(ctx)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not load the messages", err)
	}
	return msgs, nil
}

// GetMessage returns one message of a session; a message of another
// session is NotFound.
func (db *DB) GetMessage(ctx context.Context, sessionID, id string) (*Message, error) {
	m := new(Message)
	err := db.bun.NewSelect().Model(m).Where("id = ?", id).Where("session_id = ?", sessionID).Scan(ctx)
	return m, notFound(err, "message not found")
}

// Supersede marks the given current messages of a session as replaced by
// the user message byID, in one statement.
func (db *DB) Supersede(ctx context.Context, sessionID string, ids []string, byID string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := db.bun.NewUpdate().Model((*Message)(nil)).Set("superseded_by = ?", byID).
		Where("session_id = ?", sessionID).Where("id IN (?)", bun.In(ids)).Where("superseded_by IS NULL").Exec(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not replace the messages", err)
	}
	return nil
}

// MarkStopped flags a stored message as the end of a reply the user stopped.
func (db *DB) MarkStopped(ctx context.Context, sessionID, id string) error {
	_, err := db.bun.NewUpdate().Model((*Message)(nil)).Set("stopped = ?", true).
		Where("session_id = ?", sessionID).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not save the message", err)
	}
	return nil
}

// MessageBytes is the size of everything stored of a user's conversations:
// the text and JSON columns of every message of their sessions, in bytes
// (a deleted session waiting for its purge no longer counts).
func (db *DB) MessageBytes(ctx context.Context, userID string) (int64, error) {
	var total int64
	// Bytes, not characters: SQLite's length counts a BLOB's bytes,
	// PostgreSQL's octet_length a text's.
	size := func(col string) string { return "length(CAST(" + col + " AS BLOB))" }
	if db.postgres {
		size = func(col string) string { return "octet_length(CAST(" + col + " AS TEXT))" }
	}
	err := db.bun.NewSelect().TableExpr("messages AS m").
		ColumnExpr("coalesce(sum("+size("m.text")+" + coalesce("+size("m.plot_data")+", 0)"+
			" + coalesce("+size("m.data")+", 0) + coalesce("+size("m.usage")+", 0)), 0)").
		Where("m.session_id IN (SELECT s.id FROM sessions AS s WHERE s.user_id = ? AND s.deleted_at IS NULL)", userID).
		Scan(ctx, &total)
	if err != nil {
		return 0, apperr.Wrap(apperr.Internal, "could not measure the stored messages", err)
	}
	return total, nil
}
