package storage

import (
	"context"
	"hash/fnv"
	"time"

	"github.com/uptrace/bun"

	"github.com/analyzerhq/analyzer/apperr"
)

// The limits several instances share (see migration 10). Each decision
// runs in a transaction that first takes a lock on its key: a PostgreSQL
// advisory lock held to the end of the transaction (SQLite's writers are
// serialised anyway), so that two instances counting the same key at once
// see each other's rows.

type rateEvent struct {
	bun.BaseModel `bun:"table:rate_events"`
	ID            string    `bun:"id,pk"`
	Scope         string    `bun:"scope,notnull"`
	Key           string    `bun:"key,notnull"`
	At            time.Time `bun:"at,notnull"`
}

type userSlot struct {
	bun.BaseModel `bun:"table:user_slots"`
	ID            string    `bun:"id,pk"`
	UserID        string    `bun:"user_id,notnull"`
	Kind          string    `bun:"kind,notnull"`
	Bytes         int64     `bun:"bytes,notnull"`
	Expires       time.Time `bun:"expires_at,notnull"`
}

// lockKey takes the transaction-scoped advisory lock of name (PostgreSQL).
func (db *DB) lockKey(ctx context.Context, tx bun.Tx, name string) error {
	if !db.postgres {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", int64(h.Sum64()))
	return err
}

// RateTake counts an event of key in scope unless max events already fall
// within per; then it counts nothing and returns how long until the
// oldest leaves the window (at least a second).
func (db *DB) RateTake(ctx context.Context, scope, key string, max int, per time.Duration) (time.Duration, error) {
	var wait time.Duration
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := db.lockKey(ctx, tx, "rate:"+scope+":"+key); err != nil {
			return err
		}
		now := now()
		if _, err := tx.NewDelete().Model((*rateEvent)(nil)).Where("scope = ?", scope).Where("key = ?", key).
			Where("at <= ?", now.Add(-per)).Exec(ctx); err != nil {
			return err
		}
		var live []time.Time
		if err := tx.NewSelect().Model((*rateEvent)(nil)).Column("at").Where("scope = ?", scope).Where("key = ?", key).
			Order("at ASC").Scan(ctx, &live); err != nil {
			return err
		}
		if len(live) >= max {
			wait = max1s(live[0].Add(per).Sub(now))
			return nil
		}
		_, err := tx.NewInsert().Model(&rateEvent{ID: newID(), Scope: scope, Key: key, At: now}).Exec(ctx)
		return err
	})
	if err != nil {
		return 0, apperr.Wrap(apperr.Internal, "could not check the rate limit", err)
	}
	return wait, nil
}

func max1s(d time.Duration) time.Duration { return max(d, time.Second) }

// RateUndo forgets the most recent event of key in scope.
func (db *DB) RateUndo(ctx context.Context, scope, key string) error {
	_, err := db.bun.NewDelete().Model((*rateEvent)(nil)).Where("id IN (?)",
		db.bun.NewSelect().Model((*rateEvent)(nil)).Column("id").Where("scope = ?", scope).Where("key = ?", key).
			Order("at DESC", "id DESC").Limit(1)).Exec(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not update the rate limit", err)
	}
	return nil
}

// RateReset forgets every event of key in scope.
func (db *DB) RateReset(ctx context.Context, scope, key string) error {
	_, err := db.bun.NewDelete().Model((*rateEvent)(nil)).Where("scope = ?", scope).Where("key = ?", key).Exec(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not update the rate limit", err)
	}
	return nil
}

// Slot is a reply or upload a user has running, held in the database.
type Slot struct {
	ID string
	// Others is the quota bytes the user's other running slots hold.
	Others int64
}

// AcquireSlot takes one of the user's max places of kind, holding bytes
// of their quota, for at most lease (the slot expires if its instance
// dies without releasing it). A full kind returns nil.
func (db *DB) AcquireSlot(ctx context.Context, userID, kind string, max int, bytes int64, lease time.Duration) (*Slot, error) {
	var slot *Slot
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := db.lockKey(ctx, tx, "slot:"+userID); err != nil {
			return err
		}
		now := now()
		if _, err := tx.NewDelete().Model((*userSlot)(nil)).Where("user_id = ?", userID).
			Where("expires_at <= ?", now).Exec(ctx); err != nil {
			return err
		}
		var held []userSlot
		if err := tx.NewSelect().Model(&held).Where("user_id = ?", userID).Scan(ctx); err != nil {
			return err
		}
		n, others := 0, int64(0)
		for _, h := range held {
			others += h.Bytes
			if h.Kind == kind {
				n++
			}
		}
		if max > 0 && n >= max {
			return nil
		}
		s := &userSlot{ID: newID(), UserID: userID, Kind: kind, Bytes: bytes, Expires: now.Add(lease)}
		if _, err := tx.NewInsert().Model(s).Exec(ctx); err != nil {
			return err
		}
		slot = &Slot{ID: s.ID, Others: others}
		return nil
	})
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not check the running work", err)
	}
	return slot, nil
}

// SetSlotBytes changes the quota bytes a slot holds.
func (db *DB) SetSlotBytes(ctx context.Context, id string, bytes int64) error {
	_, err := db.bun.NewUpdate().Model((*userSlot)(nil)).Set("bytes = ?", bytes).Where("id = ?", id).Exec(ctx)
	return err
}

// ReservedBytes is what the user's running slots hold of their quota,
// besides the slot except.
func (db *DB) ReservedBytes(ctx context.Context, userID, except string) (int64, error) {
	var total int64
	err := db.bun.NewSelect().Model((*userSlot)(nil)).ColumnExpr("coalesce(sum(bytes), 0)").
		Where("user_id = ?", userID).Where("id <> ?", except).Where("expires_at > ?", now()).Scan(ctx, &total)
	return total, err
}

// ReleaseSlot gives a slot back.
func (db *DB) ReleaseSlot(ctx context.Context, id string) error {
	_, err := db.bun.NewDelete().Model((*userSlot)(nil)).Where("id = ?", id).Exec(ctx)
	return err
}

// RenewSlot extends a running slot's lease.
func (db *DB) RenewSlot(ctx context.Context, id string, lease time.Duration) error {
	_, err := db.bun.NewUpdate().Model((*userSlot)(nil)).Set("expires_at = ?", now().Add(lease)).Where("id = ?", id).Exec(ctx)
	return err
}
