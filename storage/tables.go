package storage

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/analyzerhq/analyzer/apperr"
)

// Table is one table of a session: a name in its sandbox and a line of
// versions, CurrentSeq the one it reads now.
type Table struct {
	bun.BaseModel `bun:"table:session_tables"`

	ID             string    `bun:"id,pk" json:"id"`
	SessionID      string    `bun:"session_id,notnull" json:"-"`
	Name           string    `bun:"name,notnull" json:"name"`
	Position       int64     `bun:"position,notnull" json:"position"`
	SourceFilename string    `bun:"source_filename,notnull" json:"source_filename"`
	CurrentSeq     int64     `bun:"current_seq,notnull" json:"current_seq"`
	CreatedAt      time.Time `bun:"created_at,notnull" json:"created_at"`
	// ChangedAt is when CurrentSeq last moved: answers older than the
	// latest of a session's tables were computed on other data.
	ChangedAt time.Time `bun:"changed_at,notnull" json:"changed_at"`
}

// Authors of a version.
const (
	AuthorUpload  = "upload"  // a file uploaded or picked from earlier uploads
	AuthorUser    = "user"    // SQL the user typed
	AuthorBuiltin = "builtin" // the built-in analyst
	AuthorModel   = "model"   // a language model (AuthorDetail names it)
)

// TableVersion is one version of a table: its dataset directory ("" is
// the session's first upload, never deleted before the session) and what
// made it.
type TableVersion struct {
	bun.BaseModel `bun:"table:table_versions"`

	ID           string    `bun:"id,pk" json:"id"`
	TableID      string    `bun:"table_id,notnull" json:"table_id"`
	SessionID    string    `bun:"session_id,notnull" json:"-"`
	Seq          int64     `bun:"seq,notnull" json:"seq"`
	Dir          string    `bun:"dir,notnull" json:"-"`
	Author       string    `bun:"author,notnull" json:"author"`
	AuthorDetail string    `bun:"author_detail,notnull" json:"author_detail,omitempty"`
	Description  string    `bun:"description,notnull" json:"description"`
	SQLText      string    `bun:"sql_text,notnull" json:"sql,omitempty"`
	RowCount     int64     `bun:"row_count,notnull" json:"row_count"`
	ColumnCount  int64     `bun:"column_count,notnull" json:"column_count"`
	Columns      JSON      `bun:"columns" json:"-"`
	DiskBytes    int64     `bun:"disk_bytes,notnull" json:"disk_bytes"`
	CreatedAt    time.Time `bun:"created_at,notnull" json:"created_at"`
}

// NewVersionID returns an id for a version about to be written, so that
// the data engine can name its directory after it first.
func NewVersionID() string { return newID() }

// Tables returns a session's tables, first the primary one.
func (db *DB) Tables(ctx context.Context, sessionID string) ([]Table, error) {
	var out []Table
	err := db.bun.NewSelect().Model(&out).Where("session_id = ?", sessionID).
		OrderExpr("position ASC, created_at ASC").Scan(ctx)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not read the session's tables", err)
	}
	return out, nil
}

// TableMount is a table with the directory of its current version.
type TableMount struct {
	Name string `bun:"name"`
	Dir  string `bun:"dir"`
}

// CurrentDirs returns each table's name and current version's directory,
// first the primary table: what the session's sandbox mounts. It runs
// before every query, as one indexed join.
func (db *DB) CurrentDirs(ctx context.Context, sessionID string) ([]TableMount, error) {
	var out []TableMount
	err := db.bun.NewSelect().TableExpr("session_tables AS t").
		Join("JOIN table_versions AS v ON v.table_id = t.id AND v.seq = t.current_seq").
		ColumnExpr("t.name, v.dir").
		Where("t.session_id = ?", sessionID).
		OrderExpr("t.position ASC, t.created_at ASC").Scan(ctx, &out)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not read the session's tables", err)
	}
	return out, nil
}

// Versions returns every version of a session's tables, oldest first.
func (db *DB) Versions(ctx context.Context, sessionID string) ([]TableVersion, error) {
	var out []TableVersion
	err := db.bun.NewSelect().Model(&out).Where("session_id = ?", sessionID).
		OrderExpr("created_at ASC, seq ASC").Scan(ctx)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not read the session's versions", err)
	}
	return out, nil
}

// CreateTable stores a new table and its first version, current. It is
// Conflict when the session already has a table of that name.
func (db *DB) CreateTable(ctx context.Context, t *Table, v *TableVersion) error {
	if t.ID == "" {
		t.ID = newID()
	}
	t.CreatedAt, t.CurrentSeq = now(), 1
	t.ChangedAt = t.CreatedAt
	if v.ID == "" {
		v.ID = newID()
	}
	v.TableID, v.SessionID, v.Seq, v.CreatedAt = t.ID, t.SessionID, 1, t.CreatedAt
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*Table)(nil)).Where("session_id = ?", t.SessionID).
			Where("lower(name) = lower(?)", t.Name).Count(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return apperr.Newf(apperr.Conflict, "this analysis already has a table named %q", t.Name)
		}
		if _, err := tx.NewInsert().Model(t).Exec(ctx); err != nil {
			return err
		}
		_, err = tx.NewInsert().Model(v).Exec(ctx)
		return err
	})
	return storeErr(err, "could not save the table")
}

// AddVersion stores v as the next version of the table and makes it
// current, provided the table still reads baseSeq (the version the change
// was computed from; Conflict otherwise). Versions after baseSeq, undone
// ones that could have been redone, are deleted and returned: their files
// are the caller's to remove.
func (db *DB) AddVersion(ctx context.Context, tableID string, baseSeq int64, v *TableVersion) ([]TableVersion, error) {
	var dropped []TableVersion
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t := new(Table)
		if err := tx.NewSelect().Model(t).Where("id = ?", tableID).Scan(ctx); err != nil {
			return notFound(err, "table not found")
		}
		if t.CurrentSeq != baseSeq {
			return apperr.New(apperr.Conflict, "the table changed while this change was computed; try again")
		}
		if err := tx.NewSelect().Model(&dropped).Where("table_id = ?", tableID).Where("seq > ?", baseSeq).Scan(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*TableVersion)(nil)).Where("table_id = ?", tableID).Where("seq > ?", baseSeq).Exec(ctx); err != nil {
			return err
		}
		if v.ID == "" {
			v.ID = newID()
		}
		v.TableID, v.SessionID, v.Seq, v.CreatedAt = tableID, t.SessionID, baseSeq+1, now()
		if _, err := tx.NewInsert().Model(v).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewUpdate().Model((*Table)(nil)).Set("current_seq = ?", v.Seq).Set("changed_at = ?", v.CreatedAt).
			Where("id = ?", tableID).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, storeErr(err, "could not save the change")
	}
	return dropped, nil
}

// SetCurrent makes version seq of the table current, provided it reads
// from now (Conflict otherwise: somebody else moved it).
func (db *DB) SetCurrent(ctx context.Context, tableID string, from, seq int64) error {
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*TableVersion)(nil)).Where("table_id = ?", tableID).Where("seq = ?", seq).Count(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "that version is not kept any more")
		}
		res, err := tx.NewUpdate().Model((*Table)(nil)).Set("current_seq = ?", seq).Set("changed_at = ?", now()).
			Where("id = ?", tableID).Where("current_seq = ?", from).Exec(ctx)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return apperr.New(apperr.Conflict, "the table changed meanwhile; try again")
		}
		return nil
	})
	return storeErr(err, "could not change the current version")
}

// DeleteVersions deletes versions that are no table's current one; it
// returns those it deleted (a current one is kept and left out).
func (db *DB) DeleteVersions(ctx context.Context, ids []string) ([]TableVersion, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var gone []TableVersion
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model(&gone).Where("?TableAlias.id IN (?)", bun.In(ids)).
			Where("NOT EXISTS (SELECT 1 FROM session_tables AS t WHERE t.id = ?TableAlias.table_id AND t.current_seq = ?TableAlias.seq)").
			Scan(ctx); err != nil {
			return err
		}
		if len(gone) == 0 {
			return nil
		}
		del := make([]string, len(gone))
		for i, g := range gone {
			del[i] = g.ID
		}
		_, err := tx.NewDelete().Model((*TableVersion)(nil)).Where("id IN (?)", bun.In(del)).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, storeErr(err, "could not delete versions")
	}
	return gone, nil
}

// VersionBytes is what the versions written after their sessions' first
// uploads take for a user: they count toward the quota beside the uploads.
func (db *DB) VersionBytes(ctx context.Context, userID string) (int64, error) {
	var total sql.NullInt64
	err := db.bun.NewSelect().TableExpr("table_versions AS v").
		Join("JOIN sessions AS s ON s.id = v.session_id").
		ColumnExpr("SUM(v.disk_bytes)").
		Where("s.user_id = ?", userID).Where("v.dir <> ''").Scan(ctx, &total)
	if err != nil {
		return 0, apperr.Wrap(apperr.Internal, "could not measure the storage used", err)
	}
	return total.Int64, nil
}

// VersionDirs returns, per session, the directories of its versions, for
// reconciling the data directory with the database.
func (db *DB) VersionDirs(ctx context.Context) (map[string][]string, error) {
	var rows []struct {
		SessionID string `bun:"session_id"`
		Dir       string `bun:"dir"`
	}
	if err := db.bun.NewSelect().Model((*TableVersion)(nil)).Column("session_id", "dir").Scan(ctx, &rows); err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not list versions", err)
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.SessionID] = append(out[r.SessionID], r.Dir)
	}
	return out, nil
}

func storeErr(err error, msg string) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "not found")
	}
	return apperr.Wrap(apperr.Internal, msg, err)
}

// SessionOwner returns the id of the user a session belongs to.
func (db *DB) SessionOwner(ctx context.Context, sessionID string) (string, error) {
	var uid string
	err := db.bun.NewSelect().Model((*Session)(nil)).Column("user_id").Where("id = ?", sessionID).Scan(ctx, &uid)
	if err := notFound(err, "session not found"); err != nil {
		return "", err
	}
	return uid, nil
}

// RemoveTable deletes a table (not the primary one) with its versions and
// returns them: their files are the caller's to remove.
func (db *DB) RemoveTable(ctx context.Context, tableID string) ([]TableVersion, error) {
	var gone []TableVersion
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model(&gone).Where("table_id = ?", tableID).Scan(ctx); err != nil {
			return err
		}
		_, err := tx.NewDelete().Model((*Table)(nil)).Where("id = ?", tableID).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, storeErr(err, "could not delete the table")
	}
	return gone, nil
}

// ChangedShape is the row and column count of a session's first table
// when it reads a version other than the upload.
type ChangedShape struct {
	SessionID   string `bun:"session_id"`
	RowCount    int64  `bun:"row_count"`
	ColumnCount int64  `bun:"column_count"`
}

// ChangedShapes returns, for each of a user's sessions whose first table
// was changed, its current counts: the session list shows those, not the
// upload's.
func (db *DB) ChangedShapes(ctx context.Context, userID string) (map[string]ChangedShape, error) {
	var rows []ChangedShape
	err := db.bun.NewSelect().TableExpr("session_tables AS t").
		Join("JOIN table_versions AS v ON v.table_id = t.id AND v.seq = t.current_seq").
		Join("JOIN sessions AS s ON s.id = t.session_id").
		ColumnExpr("t.session_id, v.row_count, v.column_count").
		Where("s.user_id = ?", userID).Where("t.position = 0").Where("v.dir <> ''").
		Scan(ctx, &rows)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not read the sessions' tables", err)
	}
	out := make(map[string]ChangedShape, len(rows))
	for _, r := range rows {
		out[r.SessionID] = r
	}
	return out, nil
}
