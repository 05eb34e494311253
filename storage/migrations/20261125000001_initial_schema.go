package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// The contract's schema, frozen as it was when this migration was written:
// later changes to the application's models must not change what it creates.
type user0001 struct {
	bun.BaseModel `bun:"table:users"`
	ID            string    `bun:"id,pk,type:varchar(36)"`
	Email         string    `bun:"email,notnull,unique"`
	PasswordHash  string    `bun:"password_hash,notnull"`
	CreatedAt     time.Time `bun:"created_at,notnull"`
}

type session0001 struct {
	bun.BaseModel `bun:"table:sessions"`
	ID            string    `bun:"id,pk,type:varchar(36)"`
	UserID        string    `bun:"user_id,notnull,type:varchar(36)"`
	Title         string    `bun:"title,notnull"`
	CreatedAt     time.Time `bun:"created_at,notnull"`
}

type file0001 struct {
	bun.BaseModel `bun:"table:files"`
	ID            string `bun:"id,pk,type:varchar(36)"`
	SessionID     string `bun:"session_id,notnull,type:varchar(36)"`
	Filename      string `bun:"filename,notnull"`
	PathOnDisk    string `bun:"path_on_disk,notnull"`
	RowCount      int64  `bun:"row_count,notnull"`
	ColCount      int    `bun:"col_count,notnull"`
	Columns       string `bun:"columns,type:json"`
}

type message0001 struct {
	bun.BaseModel `bun:"table:messages"`
	ID            string    `bun:"id,pk,type:varchar(36)"`
	SessionID     string    `bun:"session_id,notnull,type:varchar(36)"`
	Role          string    `bun:"role,notnull"`
	Text          string    `bun:"text,notnull"`
	Type          string    `bun:"type,notnull"`
	PlotData      string    `bun:"plot_data,type:json"`
	CreatedAt     time.Time `bun:"created_at,notnull"`
}

func init() {
	All.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewCreateTable().Model((*user0001)(nil)).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewCreateTable().Model((*session0001)(nil)).
				ForeignKey(`("user_id") REFERENCES "users" ("id") ON DELETE CASCADE`).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewCreateTable().Model((*file0001)(nil)).
				ForeignKey(`("session_id") REFERENCES "sessions" ("id") ON DELETE CASCADE`).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewCreateTable().Model((*message0001)(nil)).
				ForeignKey(`("session_id") REFERENCES "sessions" ("id") ON DELETE CASCADE`).Exec(ctx); err != nil {
				return err
			}
			indexes := []struct {
				model   any
				name    string
				columns []string
			}{
				{(*session0001)(nil), "sessions_user_created_idx", []string{"user_id", "created_at"}},
				{(*file0001)(nil), "files_session_idx", []string{"session_id"}},
				{(*message0001)(nil), "messages_session_created_idx", []string{"session_id", "created_at"}},
			}
			for _, ix := range indexes {
				if _, err := tx.NewCreateIndex().Model(ix.model).Index(ix.name).Column(ix.columns...).Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
	}, func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, m := range []any{(*message0001)(nil), (*file0001)(nil), (*session0001)(nil), (*user0001)(nil)} {
				if _, err := tx.NewDropTable().Model(m).IfExists().Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
