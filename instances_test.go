package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/analyzerhq/analyzer/filestore"
	"github.com/analyzerhq/analyzer/filestore/s3test"
	"github.com/analyzerhq/analyzer/storage/pgtest"
)

// TestMain stops the PostgreSQL and SeaweedFS servers the tests started.
func TestMain(m *testing.M) {
	os.Exit(s3test.Main(runFunc(func() int { return pgtest.Main(m) })))
}

type runFunc func() int

func (f runFunc) Run() int { return f() }

// TestTwoInstances runs two `analyzer serve` on one PostgreSQL database
// and one bucket, each with its own data folder: what one does, the other
// sees; throttles count on both; a stop sent to one reaches the reply
// running on the other; and an instance killed in the middle of an upload
// loses nothing and leaves nothing behind.
func TestTwoInstances(t *testing.T) {
	bin := buildBinary(t) // binary_test.go; skipped under -short
	dsn := pgtest.URL(t)
	s3 := s3test.Start(t)
	bucket := s3.Bucket(t)
	env := append([]string{"DATABASE_URL=" + dsn, "STORAGE_URL=s3://" + bucket + "/data",
		"ANALYZER_LOGIN_LIMIT=3/1m", "ANALYZER_MAX_TURNS_PER_USER=1"}, s3.Env()...)
	instance := func() *crashServer {
		dir := t.TempDir()
		return &crashServer{t: t, bin: bin, dir: dir, dataDir: filepath.Join(dir, "data"),
			dbPath: filepath.Join(dir, "unused.db"), env: env}
	}
	a, b := instance(), instance()
	a.start()
	b.start()

	token := a.register("alice@example.com")
	first := a.upload(token, "people.csv", []byte("name,age,city\nAlice,30,Paris\nBob,25,Berlin\nCarol,35,Paris\n"))

	t.Run("upload through the first, query and chat through the second", func(t *testing.T) {
		b.chat(token, first, "SELECT city, count(*) AS n FROM data GROUP BY city")
		b.chat(token, first, "average age by city")
		msgs := a.messages(token, first)
		if len(msgs) < 4 {
			t.Fatalf("%d messages after two turns on the second instance", len(msgs))
		}
	})
	t.Run("a stop sent to one reaches the reply on the other", func(t *testing.T) {
		running := a.dial(token, first)
		defer running.Close()
		stopper := b.dial(token, first)
		defer stopper.Close()
		running.WriteJSON(map[string]string{"type": "message", "text": "SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 123"})
		waitEvent(t, running, "status")
		stopper.WriteJSON(map[string]string{"type": "stop"})
		done := waitEvent(t, running, "done")
		if !strings.Contains(string(done), `"stopped":true`) {
			t.Fatalf("done %s", done)
		}
	})
	t.Run("sign-in throttle counts on both", func(t *testing.T) {
		wrong := `{"email":"alice@example.com","password":"wrong password"}`
		for i, s := range []*crashServer{a, b, a} {
			if code, body := s.do("POST", "/api/auth/login", "", strings.NewReader(wrong), "application/json"); code != 401 {
				t.Fatalf("attempt %d: %d %s", i, code, body)
			}
		}
		if code, body := b.do("POST", "/api/auth/login", "", strings.NewReader(wrong), "application/json"); code != 429 {
			t.Fatalf("fourth attempt, on the other instance: %d %s", code, body)
		}
	})
	t.Run("killed during an upload: nothing lost, nothing orphaned", func(t *testing.T) {
		up := a.startUpload(token, "big.csv")
		fmt.Fprint(up.w, "id,value,label\n")
		for i := range 20000 {
			fmt.Fprintf(up.w, "%d,%d.5,row %d\n", i, i*7, i)
		}
		a.waitFor("the upload to reach the disk", func() bool { return a.uploadBytes() > 100<<10 })
		a.kill()
		up.abandon()
		<-up.done
		// The other instance serves on; the first session is whole.
		if msgs := b.messages(token, first); len(msgs) < 4 {
			t.Fatalf("%d messages after the kill", len(msgs))
		}
		a.start() // its start-up repair removes the half-written upload
		if n := a.uploadBytes(); n != 0 {
			t.Fatalf("%d bytes of the killed upload left", n)
		}
		files, err := filestore.NewS3(context.Background(), filestore.S3Options{
			Location: filestore.Location{Bucket: bucket, Prefix: "data"}, Dir: t.TempDir(), Client: s3.Client()})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := files.Sessions(context.Background())
		if err != nil || len(stored) != 1 || stored[0].ID != first {
			t.Fatalf("stored sessions %v (err %v), want only %s", stored, err, first)
		}
		a.chat(token, first, "SELECT count(*) AS n FROM data")
	})
	a.stop()
	b.stop()
}

// waitEvent reads events until one named name and returns its data.
func waitEvent(t *testing.T, ws *websocket.Conn, name string) []byte {
	t.Helper()
	for {
		var ev struct {
			Event string
			Data  json.RawMessage
		}
		ws.SetReadDeadline(time.Now().Add(30 * time.Second))
		if err := ws.ReadJSON(&ev); err != nil {
			t.Fatalf("waiting for %s: %v", name, err)
		}
		if ev.Event == name {
			return ev.Data
		}
	}
}
