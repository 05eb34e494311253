package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// The limits several instances share through the database (used when it
// is PostgreSQL; one process on SQLite keeps them in memory):
//
//   - rate_events: the recent attempts of each throttled key (a sign-in's
//     account or address, a registration's address), one row each;
//   - user_slots: the replies and uploads each user has running, one row
//     each, with the quota bytes an upload holds and a lease that lets a
//     crashed instance's rows expire.
type rateEvent0010 struct {
	bun.BaseModel `bun:"table:rate_events"`
	ID            string    `bun:"id,pk,type:varchar(36)"`
	Scope         string    `bun:"scope,notnull"`
	Key           string    `bun:"key,notnull"`
	At            time.Time `bun:"at,notnull"`
}

type userSlot0010 struct {
	bun.BaseModel `bun:"table:user_slots"`
	ID            string    `bun:"id,pk,type:varchar(36)"`
	UserID        string    `bun:"user_id,notnull"`
	Kind          string    `bun:"kind,notnull"`
	Bytes         int64     `bun:"bytes,notnull"`
	Expires       time.Time `bun:"expires_at,notnull"`
}

func init() {
	All.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewCreateTable().Model((*rateEvent0010)(nil)).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewCreateTable().Model((*userSlot0010)(nil)).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewCreateIndex().Model((*rateEvent0010)(nil)).Index("rate_events_key_idx").
				Column("scope", "key", "at").Exec(ctx); err != nil {
				return err
			}
			_, err := tx.NewCreateIndex().Model((*userSlot0010)(nil)).Index("user_slots_user_idx").
				Column("user_id", "kind").Exec(ctx)
			return err
		})
	}, func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, m := range []any{(*userSlot0010)(nil), (*rateEvent0010)(nil)} {
				if _, err := tx.NewDropTable().Model(m).IfExists().Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
