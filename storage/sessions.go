package storage

import (
	"context"
	"database/sql"
	"time"

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
	defer db.cache.dropSessions(s.UserID)
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
	if list, _, ok := db.cache.sessions(userID); ok {
		return list, nil
	}
	_, gen, _ := db.cache.sessions("")
	fail := func(err error) ([]Session, error) {
		return nil, apperr.Wrap(apperr.Internal, "could not list sessions", err)
	}
	st, err := db.prepared(ctx, listSessionsSQL)
	if err != nil {
		return fail(err)
	}
	rows, err := st.QueryContext(ctx, userID)
	if err != nil {
		return fail(err)
	}
	var found []sessionRow
	if err := db.bun.ScanRows(ctx, rows, &found); err != nil {
		return fail(err)
	}
	sessions := make([]Session, len(found))
	for i, r := range found {
		sessions[i] = Session{ID: r.ID, UserID: r.UserID, Title: r.Title, CreatedAt: r.CreatedAt}
		if r.FileID.Valid {
			sessions[i].File = &File{
				ID: r.FileID.String, SessionID: r.ID, Filename: r.Filename.String, PathOnDisk: r.PathOnDisk.String,
				RowCount: r.RowCount.Int64, ColCount: int(r.ColCount.Int64), Format: r.Format.String,
				SizeBytes: r.SizeBytes.Int64, RejectedRows: r.RejectedRows.Int64, DiskBytes: r.DiskBytes.Int64,
			}
		}
	}
	db.cache.putSessions(userID, sessions, gen)
	return sessions, nil
}

// listSessionsSQL is the session list, with each file's counts (not its
// column lists), prepared (prepared.go).
const listSessionsSQL = `SELECT s.id, s.user_id, s.title, s.created_at,
	f.id AS file_id, f.filename, f.path_on_disk, f.row_count, f.col_count, f.format, f.size_bytes, f.rejected_rows, f.disk_bytes
	FROM sessions AS s LEFT JOIN files AS f ON f.session_id = s.id
	WHERE s.user_id = ? AND s.deleted_at IS NULL ORDER BY s.created_at DESC, s.id DESC`

// sessionRow is one row of listSessionsSQL.
type sessionRow struct {
	ID           string         `bun:"id"`
	UserID       string         `bun:"user_id"`
	Title        string         `bun:"title"`
	CreatedAt    time.Time      `bun:"created_at"`
	FileID       sql.NullString `bun:"file_id"`
	Filename     sql.NullString `bun:"filename"`
	PathOnDisk   sql.NullString `bun:"path_on_disk"`
	RowCount     sql.NullInt64  `bun:"row_count"`
	ColCount     sql.NullInt64  `bun:"col_count"`
	Format       sql.NullString `bun:"format"`
	SizeBytes    sql.NullInt64  `bun:"size_bytes"`
	RejectedRows sql.NullInt64  `bun:"rejected_rows"`
	DiskBytes    sql.NullInt64  `bun:"disk_bytes"`
}

// GetSession returns the user's session with its file; another user's
// session is NotFound.
func (db *DB) GetSession(ctx context.Context, userID, id string) (*Session, error) {
	s := new(Session)
	err := db.bun.NewSelect().Model(s).Relation("File").
		Where("?TableAlias.id = ?", id).Where("?TableAlias.user_id = ?", userID).
		Where("?TableAlias.deleted_at IS NULL").
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
	defer db.cache.dropSessions(userID)
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
	defer db.cache.dropSessions("") // the session's owner is not known here
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
