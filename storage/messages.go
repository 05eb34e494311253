package storage

import (
	"context"

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

// ListMessages returns a session's messages in the order they were stored.
func (db *DB) ListMessages(ctx context.Context, sessionID string) ([]Message, error) {
	msgs := []Message{}
	// Ids are time-ordered UUIDs: they break ties between equal timestamps.
	err := db.bun.NewSelect().Model(&msgs).Where("session_id = ?", sessionID).
		Order("created_at ASC", "id ASC").Scan(ctx)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not load the messages", err)
	}
	return msgs, nil
}
