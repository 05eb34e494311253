package server

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/filestore"
	"github.com/analyzerhq/analyzer/filestore/s3test"
	"github.com/analyzerhq/analyzer/storage"
	"github.com/analyzerhq/analyzer/storage/pgtest"
	"github.com/analyzerhq/analyzer/tables"
)

// TestMain stops the PostgreSQL and SeaweedFS servers the tests started.
func TestMain(m *testing.M) {
	os.Exit(s3test.Main(runFunc(func() int { return pgtest.Main(m) })))
}

type runFunc func() int

func (f runFunc) Run() int { return f() }

// sharedBackends makes every environment built with it an instance of
// one deployment: the same PostgreSQL database and the same bucket, each
// with its own data folder as cache.
func sharedBackends(t *testing.T) envOption {
	dsn := pgtest.URL(t)
	srv := s3test.Start(t)
	bucket := srv.Bucket(t)
	return func(c *envConfig) {
		c.database = func(tb testing.TB) *storage.DB {
			db, err := storage.OpenPostgres(context.Background(), dsn)
			if err != nil {
				tb.Fatal(err)
			}
			return db
		}
		c.files = func(tb testing.TB, dataDir string) filestore.Store {
			s, err := filestore.NewS3(context.Background(), filestore.S3Options{
				Location: filestore.Location{Bucket: bucket, Prefix: "data"}, Dir: dataDir, Client: srv.Client()})
			if err != nil {
				tb.Fatal(err)
			}
			return s
		}
	}
}

// TestInstancesShareState: two servers on one PostgreSQL database and one
// bucket act as one: a dataset uploaded through the first is read through
// the second, sign-in throttles count attempts on both, a stop sent to
// the second stops the reply running on the first, and a session deleted
// through one loses its stored files when it is purged.
func TestInstancesShareState(t *testing.T) {
	shared := sharedBackends(t)
	limits := withLimits(Limits{LoginPerAccount: Rate{Max: 3, Per: time.Minute}, TurnsPerUser: 1})
	a := newTestEnv(t, shared, limits, withTables(tables.Options{}))
	b := newTestEnv(t, shared, limits, withTables(tables.Options{}))
	addrA, addrB := a.listen(), b.listen()

	alice := a.register("alice@example.com")
	sess := a.upload(alice, "people.csv", peopleCSV)

	t.Run("upload through one, read through the other", func(t *testing.T) {
		code, body := b.doJSON(http.MethodGet, "/api/sessions/"+sess.SessionID, alice, nil)
		if code != http.StatusOK || !strings.Contains(string(body), `"row_count":3`) {
			t.Fatalf("detail on the second instance: %d %s", code, body)
		}
		c, _, err := dialWS(t, addrB, sess.SessionID, alice)
		if err != nil {
			t.Fatal(err)
		}
		defer c.conn.Close()
		c.send(map[string]string{"type": "message", "text": "SELECT count(*) AS n FROM data"})
		events := c.until("done", 30*time.Second)
		if qr := find(events, "query_result"); qr == nil || !strings.Contains(string(qr.Data), `"n":3`) {
			t.Fatalf("query on the second instance: %v", names(events))
		}
	})
	t.Run("a change made through one is read through the other", func(t *testing.T) {
		status, body := a.doJSON(http.MethodPost, "/api/sessions/"+sess.SessionID+"/changes", alice,
			map[string]string{"table": "data", "sql": "SELECT * FROM data WHERE city = 'Paris'", "description": "Kept Paris"})
		if status != http.StatusOK {
			t.Fatalf("change on the first instance: %d %s", status, body)
		}
		c, _, err := dialWS(t, addrB, sess.SessionID, alice)
		if err != nil {
			t.Fatal(err)
		}
		defer c.conn.Close()
		c.send(map[string]string{"type": "message", "text": "SELECT count(*) AS n FROM data"})
		events := c.until("done", 30*time.Second)
		if qr := find(events, "query_result"); qr == nil || !strings.Contains(string(qr.Data), `"n":2`) {
			t.Fatalf("the changed table on the second instance: %v %s", names(events), qr.Data)
		}
	})
	t.Run("a stop reaches the reply on the other instance", func(t *testing.T) {
		running, _, err := dialWS(t, addrA, sess.SessionID, alice)
		if err != nil {
			t.Fatal(err)
		}
		defer running.conn.Close()
		stopper, _, err := dialWS(t, addrB, sess.SessionID, alice)
		if err != nil {
			t.Fatal(err)
		}
		defer stopper.conn.Close()
		running.send(map[string]string{"type": "message", "text": slowQuery})
		running.until("status", 10*time.Second)
		// The user's one running reply is counted for both instances.
		stopper.send(map[string]string{"type": "message", "text": "SELECT 1"})
		if ev := stopper.until("error", 10*time.Second); find(ev, "error") == nil {
			t.Fatalf("a second reply of the user started on the other instance: %v", names(ev))
		}
		start := time.Now()
		stopper.send(map[string]string{"type": "stop"})
		events := running.until("done", 10*time.Second)
		var done struct{ Stopped bool }
		json.Unmarshal(events[len(events)-1].Data, &done)
		if !done.Stopped {
			t.Fatalf("done %s after %v", events[len(events)-1].Data, time.Since(start))
		}
	})
	t.Run("sign-in throttle counts attempts on both", func(t *testing.T) {
		wrong := map[string]string{"email": "alice@example.com", "password": "wrong password"}
		for i, env := range []*testEnv{a, b, a} {
			if code, body := env.doJSON(http.MethodPost, "/api/auth/login", "", wrong); code != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d %s", i, code, body)
			}
		}
		if code, body := b.doJSON(http.MethodPost, "/api/auth/login", "", wrong); code != http.StatusTooManyRequests {
			t.Fatalf("fourth attempt on the other instance: %d %s", code, body)
		}
	})
	t.Run("a deleted session's stored files go with its purge", func(t *testing.T) {
		if code, body := b.doJSON(http.MethodDelete, "/api/sessions/"+sess.SessionID, alice, nil); code != http.StatusNoContent {
			t.Fatalf("delete: %d %s", code, body)
		}
		b.now = b.now.Add(UndoWindow + time.Minute)
		b.srv.purgeDeleted(context.Background())
		list, err := b.srv.opts.Files.Sessions(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range list {
			if s.ID == sess.SessionID {
				t.Fatal("the stored files outlived their session")
			}
		}
	})
	t.Run("ready and health name the backends", func(t *testing.T) {
		if code, body := a.doJSON(http.MethodGet, "/api/ready", "", nil); code != http.StatusOK || !strings.Contains(string(body), `"ready"`) {
			t.Fatalf("ready: %d %s", code, body)
		}
		code, body := a.doJSON(http.MethodGet, "/api/health", "", nil)
		if code != http.StatusOK || !strings.Contains(string(body), `"database":"postgres"`) || !strings.Contains(string(body), `"file_store":"s3"`) {
			t.Fatalf("health: %d %s", code, body)
		}
	})
}
