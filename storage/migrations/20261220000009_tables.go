package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Several tables per session, each a line of versions. A table is a view
// in the session's sandbox; each of its versions is a dataset directory
// (a Parquet file, its profile and preview): "" is the session's own first
// upload, "v/<id>" one written later. current_seq names the version the
// table reads now: undo and redo move it. Frozen as written.
type sessionTable0009 struct {
	bun.BaseModel  `bun:"table:session_tables"`
	ID             string    `bun:"id,pk,type:varchar(36)"`
	SessionID      string    `bun:"session_id,notnull,type:varchar(36)"`
	Name           string    `bun:"name,notnull"`
	Position       int64     `bun:"position,notnull"`
	SourceFilename string    `bun:"source_filename,notnull"`
	CurrentSeq     int64     `bun:"current_seq,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
	ChangedAt      time.Time `bun:"changed_at,notnull"`
}

type tableVersion0009 struct {
	bun.BaseModel `bun:"table:table_versions"`
	ID            string    `bun:"id,pk,type:varchar(36)"`
	TableID       string    `bun:"table_id,notnull,type:varchar(36)"`
	SessionID     string    `bun:"session_id,notnull,type:varchar(36)"`
	Seq           int64     `bun:"seq,notnull"`
	Dir           string    `bun:"dir,notnull"`
	Author        string    `bun:"author,notnull"`
	AuthorDetail  string    `bun:"author_detail,notnull"`
	Description   string    `bun:"description,notnull"`
	SQLText       string    `bun:"sql_text,notnull"`
	RowCount      int64     `bun:"row_count,notnull"`
	ColumnCount   int64     `bun:"column_count,notnull"`
	Columns       string    `bun:"columns,type:text"`
	DiskBytes     int64     `bun:"disk_bytes,notnull"`
	CreatedAt     time.Time `bun:"created_at,notnull"`
}

func init() {
	All.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewCreateTable().Model((*sessionTable0009)(nil)).
				ForeignKey(`("session_id") REFERENCES "sessions" ("id") ON DELETE CASCADE`).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewCreateTable().Model((*tableVersion0009)(nil)).
				ForeignKey(`("table_id") REFERENCES "session_tables" ("id") ON DELETE CASCADE`).
				ForeignKey(`("session_id") REFERENCES "sessions" ("id") ON DELETE CASCADE`).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewCreateIndex().Model((*sessionTable0009)(nil)).Unique().
				Index("session_tables_session_name_idx").Column("session_id", "name").Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewCreateIndex().Model((*tableVersion0009)(nil)).Unique().
				Index("table_versions_table_seq_idx").Column("table_id", "seq").Exec(ctx); err != nil {
				return err
			}
			_, err := tx.NewCreateIndex().Model((*tableVersion0009)(nil)).
				Index("table_versions_session_idx").Column("session_id").Exec(ctx)
			return err
		})
	}, func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewDropTable().Model((*tableVersion0009)(nil)).IfExists().Exec(ctx); err != nil {
				return err
			}
			_, err := tx.NewDropTable().Model((*sessionTable0009)(nil)).IfExists().Exec(ctx)
			return err
		})
	})
}
