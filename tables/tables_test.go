package tables

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

type fixture struct {
	t      *testing.T
	ctx    context.Context
	store  *storage.DB
	engine *duck.Engine
	svc    *Service
	user   *storage.User
	dir    string
}

func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := storage.Open(ctx, filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	engine, err := duck.New(duck.Config{DataDir: filepath.Join(dir, "data"), Threads: 2, QueryTimeout: 20 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { engine.Close() })
	u, err := store.CreateUser(ctx, "a@example.com", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, ctx: ctx, store: store, engine: engine, svc: New(store, engine, opts), user: u, dir: dir}
}

// upload writes content to a temp file as the server receives it.
func (f *fixture) upload(content string) string {
	f.t.Helper()
	p := filepath.Join(f.t.TempDir(), "upload")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// session uploads a file as a new session, as the server does.
func (f *fixture) session(filename, content string) *storage.Session {
	f.t.Helper()
	id := storage.NewSessionID()
	ds, err := f.engine.Ingest(f.ctx, id, f.upload(content), filename)
	if err != nil {
		f.t.Fatal(err)
	}
	names := make([]string, len(ds.Columns))
	for i, c := range ds.Columns {
		names[i] = c.Name
	}
	sess := &storage.Session{ID: id, UserID: f.user.ID, Title: filename}
	file := &storage.File{Filename: filename, PathOnDisk: ds.OriginalPath, RowCount: ds.RowCount, ColCount: len(ds.Columns), Columns: storage.MustJSON(names)}
	if err := f.store.CreateSession(f.ctx, sess, file); err != nil {
		f.t.Fatal(err)
	}
	return sess
}

func (f *fixture) count(sessionID, sql string) int64 {
	f.t.Helper()
	res, err := f.engine.Query(f.ctx, sessionID, sql)
	if err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
	return res.Rows[0][0].(int64)
}

const ordersCSV = "order_id,customer_id,amount,note\n1,10,5.5,\n2,11,7,gift\n3,10,1,\n4,12,,late\n5,99,3,x\n"
const customersCSV = "customer_id,name,signup\n10,Ann,2024-01-05\n11,Bob,2024-02-11\n12,Cy,2024-03-09\n"

func TestSeveralFilesChangesUndoRedo(t *testing.T) {
	f := newFixture(t, Options{})
	sess := f.session("orders.csv", ordersCSV)
	added, err := f.svc.AddUpload(f.ctx, sess, f.upload(customersCSV), "Customers.csv", duck.IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if added.Table.Name != "customers" || added.Version.RowCount != 3 {
		t.Fatalf("added: %+v", added)
	}
	// Both tables, `data` still the first, joined in one query.
	if n := f.count(sess.ID, "SELECT count(*) FROM orders o JOIN customers c USING (customer_id)"); n != 4 {
		t.Fatalf("join: %d", n)
	}
	if n := f.count(sess.ID, "SELECT count(*) FROM data"); n != 5 {
		t.Fatalf("data: %d", n)
	}

	ch, err := f.svc.Change(f.ctx, sess.ID, agent.Change{Table: "orders", SQL: "SELECT * FROM orders WHERE amount IS NOT NULL",
		Description: "Removed rows where amount is empty", Author: agent.AuthorUser})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Version != 2 || ch.RowCount != 4 || ch.PrevRowCount != 5 {
		t.Fatalf("changed: %+v", ch)
	}
	if n := f.count(sess.ID, "SELECT count(*) FROM data"); n != 4 {
		t.Fatalf("data after the change: %d", n)
	}
	prev, err := f.engine.Preview(f.ctx, sess.ID, 100)
	if err != nil || prev.RowCount != 4 {
		t.Fatalf("preview after the change: %v %v", prev, err)
	}
	// A change that joins in a column from the other table.
	ch, err = f.svc.Change(f.ctx, sess.ID, agent.Change{Table: "data", Author: agent.AuthorModel, AuthorDetail: "claude",
		SQL: "SELECT o.*, c.name AS customer FROM orders o LEFT JOIN customers c USING (customer_id)", Description: "Joined in the customer's name"})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Table != "orders" || ch.Version != 3 || ch.ColumnCount != 5 {
		t.Fatalf("join change: %+v", ch)
	}

	st, err := f.svc.State(f.ctx, sess)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Tables) != 2 || len(st.Versions) != 4 || !st.CanUndo || st.CanRedo || st.ChangedAt == nil {
		t.Fatalf("state: %+v", st)
	}
	if v := st.Versions[3]; v.Author != "model" || v.AuthorDetail != "claude" || !v.Current || v.Table != "orders" {
		t.Fatalf("last version: %+v", v)
	}

	// Undo twice: back to the upload; redo once.
	for _, want := range []int64{2, 1} {
		mv, err := f.svc.Undo(f.ctx, sess, "")
		if err != nil || mv.To != want || mv.Table != "orders" {
			t.Fatalf("undo to %d: %+v %v", want, mv, err)
		}
	}
	if n := f.count(sess.ID, "SELECT count(*) FROM orders"); n != 5 {
		t.Fatalf("after undo: %d", n)
	}
	if prev, _ := f.engine.Preview(f.ctx, sess.ID, 100); prev.RowCount != 5 {
		t.Fatalf("preview after undo: %d", prev.RowCount)
	}
	if _, err := f.svc.Undo(f.ctx, sess, ""); apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("undo past the upload: %v", err)
	}
	if mv, err := f.svc.Redo(f.ctx, sess, "orders"); err != nil || mv.To != 2 {
		t.Fatalf("redo: %+v %v", mv, err)
	}
	if n := f.count(sess.ID, "SELECT count(*) FROM orders"); n != 4 {
		t.Fatalf("after redo: %d", n)
	}
	// A new change drops what could have been redone (version 3).
	ch, err = f.svc.Change(f.ctx, sess.ID, agent.Change{Table: "orders", SQL: "SELECT * EXCLUDE (note) FROM orders", Author: agent.AuthorBuiltin, Description: "Dropped column note"})
	if err != nil || ch.Version != 3 || ch.ColumnCount != 3 {
		t.Fatalf("change after redo: %+v %v", ch, err)
	}
	if _, err := f.svc.Redo(f.ctx, sess, ""); apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("redo after a new change: %v", err)
	}
	// The original upload is untouched and downloadable.
	st, _ = f.svc.State(f.ctx, sess)
	path, name, err := f.svc.Download(f.ctx, sess, st.Versions[0].ID)
	if err != nil || name != "orders-v1.parquet" || filepath.Base(path) != "data.parquet" {
		t.Fatalf("download: %s %s %v", path, name, err)
	}

	// A table added from an earlier upload, without a copy.
	other := f.session("customers 2023.csv", customersCSV)
	a2, err := f.svc.AddFrom(f.ctx, sess, other)
	if err != nil || a2.Table.Name != "customers_2023" {
		t.Fatalf("add from: %+v %v", a2, err)
	}
	if n := f.count(sess.ID, "SELECT count(*) FROM customers_2023"); n != 3 {
		t.Fatalf("linked table: %d", n)
	}
	infos, keys, err := f.svc.Describe(f.ctx, sess.ID)
	if err != nil || len(infos) != 3 {
		t.Fatalf("describe: %+v %v", infos, err)
	}
	found := false
	for _, k := range keys {
		if k.Left == "orders" && k.LeftColumn == "customer_id" && k.Right == "customers" {
			found = k.LeftDistinct == 3 && k.Matched == 2 // 10, 11, 99 of which 99 is nobody
		}
	}
	if !found {
		t.Fatalf("join keys: %+v", keys)
	}
	if err := f.svc.RemoveTable(f.ctx, sess, "customers_2023"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RemoveTable(f.ctx, sess, "orders"); apperr.KindOf(err) != apperr.Invalid {
		t.Fatalf("removing the first table: %v", err)
	}
	// The other session still reads its data.
	if n := f.count(other.ID, "SELECT count(*) FROM data"); n != 3 {
		t.Fatalf("the source session: %d", n)
	}
}

func TestVersionCap(t *testing.T) {
	f := newFixture(t, Options{MaxVersions: 3})
	sess := f.session("orders.csv", ordersCSV)
	var notice string
	for i := 0; i < 4; i++ {
		ch, err := f.svc.Change(f.ctx, sess.ID, agent.Change{Table: "orders", SQL: "SELECT * FROM orders LIMIT " + itoa(int64(5-i)), Author: agent.AuthorUser})
		if err != nil {
			t.Fatal(err)
		}
		notice += ch.Notice
	}
	st, _ := f.svc.State(f.ctx, sess)
	if len(st.Versions) != 3 {
		t.Fatalf("versions kept: %d", len(st.Versions))
	}
	// The upload and the newest stay; versions 2 and 3 went, oldest first.
	if st.Versions[0].Seq != 1 || st.Versions[1].Seq != 4 || st.Versions[2].Seq != 5 {
		t.Fatalf("kept: %+v", st.Versions)
	}
	if !strings.Contains(notice, "version 2 of orders") || !strings.Contains(notice, "at most 3 versions") {
		t.Fatalf("notice: %q", notice)
	}
	entries, _ := os.ReadDir(filepath.Join(f.dir, "data", sess.ID, "v"))
	if len(entries) != 2 {
		t.Fatalf("version directories: %d", len(entries))
	}
	// Undo skips the dropped versions.
	if mv, err := f.svc.Undo(f.ctx, sess, ""); err != nil || mv.To != 4 {
		t.Fatalf("undo: %+v %v", mv, err)
	}
	if mv, err := f.svc.Undo(f.ctx, sess, ""); err != nil || mv.To != 1 {
		t.Fatalf("undo: %+v %v", mv, err)
	}
}

func TestVersionsCountTowardQuota(t *testing.T) {
	f := newFixture(t, Options{})
	sess := f.session("orders.csv", ordersCSV)
	var used int64
	f.svc.SetQuota(1<<20, func(ctx context.Context, userID string) (int64, error) {
		vb, err := f.store.VersionBytes(ctx, userID)
		return used + vb, err
	})
	if _, err := f.svc.Change(f.ctx, sess.ID, agent.Change{Table: "orders", SQL: "SELECT * FROM orders", Author: agent.AuthorUser}); err != nil {
		t.Fatal(err)
	}
	vb, err := f.store.VersionBytes(f.ctx, f.user.ID)
	if err != nil || vb == 0 {
		t.Fatalf("version bytes: %d %v", vb, err)
	}
	used = 1<<20 - 10
	_, err = f.svc.Change(f.ctx, sess.ID, agent.Change{Table: "orders", SQL: "SELECT * FROM orders", Author: agent.AuthorUser})
	if apperr.KindOf(err) != apperr.TooLarge {
		t.Fatalf("over quota: %v", err)
	}
	st, _ := f.svc.State(f.ctx, sess)
	if len(st.Versions) != 2 {
		t.Fatalf("versions after a refused change: %d", len(st.Versions))
	}
	entries, _ := os.ReadDir(filepath.Join(f.dir, "data", sess.ID, "v"))
	if len(entries) != 1 {
		t.Fatalf("version directories after a refused change: %d", len(entries))
	}
}

func TestModelTransformCannotWriteOutside(t *testing.T) {
	f := newFixture(t, Options{})
	sess := f.session("orders.csv", ordersCSV)
	target := filepath.Join(f.dir, "stolen.csv")
	for _, sql := range []string{
		"COPY orders TO " + duck.QuoteString(target),
		"SELECT 1) TO " + duck.QuoteString(target) + " (FORMAT csv) --",
		"SELECT * FROM read_csv(" + duck.QuoteString(filepath.Join(f.dir, "meta.db")) + ")",
		"INSERT INTO orders VALUES (1, 1, 1, 'x')",
	} {
		if _, err := f.svc.Change(f.ctx, sess.ID, agent.Change{Table: "orders", SQL: sql, Author: agent.AuthorModel}); err == nil {
			t.Errorf("%q was applied", sql)
		}
	}
	if _, err := os.Stat(target); err == nil {
		t.Fatal("a file was written outside the session")
	}
	st, _ := f.svc.State(f.ctx, sess)
	if len(st.Versions) != 1 {
		t.Fatalf("versions: %d", len(st.Versions))
	}
}
