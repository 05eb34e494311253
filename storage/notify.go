package storage

import (
	"context"
	"errors"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// Instances on one PostgreSQL database reach each other through
// LISTEN/NOTIFY: a stop sent to one instance reaches the reply running on
// another. On SQLite (one process) there is nobody else to tell: Notify
// does nothing and Listen returns at once.

// Notify sends payload on channel to every instance listening.
func (db *DB) Notify(ctx context.Context, channel, payload string) error {
	if !db.postgres {
		return nil
	}
	return pgdriver.Notify(ctx, db.bun, channel, payload)
}

// Listen calls fn with every payload sent on channel until ctx ends,
// reconnecting after a lost connection.
func (db *DB) Listen(ctx context.Context, channel string, fn func(payload string)) error {
	if !db.postgres {
		return nil
	}
	for ctx.Err() == nil {
		err := db.listen(ctx, channel, fn)
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
	return nil
}

func (db *DB) listen(ctx context.Context, channel string, fn func(payload string)) error {
	ln := pgdriver.NewListener(db.bun)
	defer ln.Close()
	if err := ln.Listen(ctx, channel); err != nil {
		return err
	}
	for {
		_, payload, err := ln.Receive(ctx)
		if err != nil {
			if errors.Is(err, context.Canceled) || ctx.Err() != nil {
				return nil
			}
			return err
		}
		fn(payload)
	}
}
