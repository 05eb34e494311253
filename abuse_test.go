//go:build linux

package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	_ "github.com/analyzerhq/analyzer/storage" // the SQLite driver
)

// Bounds of TestNoUserCanTakeTheServerDown. The server runs with
// ANALYZER_MEMORY_LIMIT=abuseMemoryLimit; its peak resident memory
// (VmHWM) may pass that by abuseOverhead: the binary itself, DuckDB's
// allocations outside its buffer manager, and the Go runtime's slack.
const (
	abuseMemoryLimit = 1 << 30
	abuseOverhead    = 384 << 20
	// storedResultBound is what one stored query result may take in the
	// database (256 KiB of rows and the record around them).
	storedResultBound = 300 << 10
)

// TestNoUserCanTakeTheServerDown replays, against the real binary, what a
// hostile signed-in user did to the server: one huge value, a 100 MB
// result, memory-hungry queries from two users at once, a CSV that is one
// 200 MB line, and the smaller leaks. The server must stay up, within its
// memory limit, write nothing over its storage bounds, and keep serving
// another user.
func TestNoUserCanTakeTheServerDown(t *testing.T) {
	bin := buildBinary(t) // skipped under -short
	dir := t.TempDir()
	srv := &crashServer{t: t, bin: bin, dir: dir, dataDir: filepath.Join(dir, "data"), dbPath: filepath.Join(dir, "meta.db"),
		env: []string{
			"ANALYZER_MEMORY_LIMIT=" + strconv.Itoa(abuseMemoryLimit),
			"ANALYZER_QUERY_TIMEOUT=20s",
			"ANALYZER_INGEST_TIMEOUT=60s",
		}}
	srv.start()
	if !strings.Contains(srv.log(), "memory") {
		t.Fatalf("the memory budget is not reported at start:\n%s", srv.log())
	}
	mallory := srv.register("mallory@example.com")
	alice := srv.register("alice@example.com")
	people := []byte("name,age,city\nAlice,30,Paris\nBob,25,Berlin\nCarol,35,Paris\n")
	mSession := srv.upload(mallory, "people.csv", people)

	t.Run("one huge value is cut, not copied", func(t *testing.T) {
		res := srv.turnResult(mallory, mSession, "SELECT repeat('x', 300000000) AS s")
		if res.IsError {
			t.Fatalf("the query failed: %s", res.Error)
		}
		if len(res.Result) != 1 {
			t.Fatalf("%d rows", len(res.Result))
		}
		var cell string
		json.Unmarshal(res.Result[0]["s"], &cell)
		if len(cell) == 0 || len(cell) > 65<<10 {
			t.Fatalf("the cell has %d bytes, want at most 64 KiB", len(cell))
		}
	})

	t.Run("a 100 MB result is bounded in bytes", func(t *testing.T) {
		res := srv.turnResult(mallory, mSession, "SELECT list_transform(range(1000), i -> repeat('x',100000)) AS l")
		if res.IsError {
			t.Fatalf("the query failed: %s", res.Error)
		}
		raw, _ := json.Marshal(res.Result)
		if len(raw) > 9<<20 {
			t.Fatalf("the event carried %d bytes of rows", len(raw))
		}
		res = srv.turnResult(mallory, mSession, "SELECT repeat('y', 60000) AS s FROM range(2000)")
		if !res.Truncated || res.TruncatedReason != "bytes" || len(res.Result) >= 2000 {
			t.Fatalf("120 MB of rows: truncated %v (%q), %d rows", res.Truncated, res.TruncatedReason, len(res.Result))
		}
	})

	t.Run("what is stored for history is bounded", func(t *testing.T) {
		db, err := sql.Open("sqlite", "file:"+srv.dbPath+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var biggest int64
		if err := db.QueryRowContext(context.Background(), "SELECT coalesce(max(length(data)), 0) FROM messages").Scan(&biggest); err != nil {
			t.Fatal(err)
		}
		if biggest > storedResultBound {
			t.Fatalf("a stored message holds %d bytes", biggest)
		}
		status, body := srv.do("GET", "/api/sessions/"+mSession, mallory, nil, "")
		if status != 200 || len(body) > 2<<20 {
			t.Fatalf("session detail: %d, %d bytes", status, len(body))
		}
	})

	t.Run("memory-hungry queries of two users at once", func(t *testing.T) {
		aSession := srv.upload(alice, "people.csv", people)
		const q = "SELECT count(DISTINCT (range::VARCHAR || 'abcdefghijklmnopqrstuvwxyz0123456789')) FROM range(400000000)"
		var wg sync.WaitGroup
		outcomes := make([]string, 4)
		for i := range 4 {
			tok, sess := mallory, mSession
			if i%2 == 1 {
				tok, sess = alice, aSession
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := srv.turnResult(tok, sess, q)
				outcomes[i] = res.Error
				if !res.IsError {
					outcomes[i] = "answered"
				}
			}()
		}
		wg.Wait()
		for _, o := range outcomes {
			if o == "" || strings.Contains(o, "internal error") {
				t.Fatalf("an outcome without a clear message: %q", outcomes)
			}
		}
		t.Logf("outcomes: %q", outcomes)
	})

	t.Run("a CSV that is one 200 MB line does not block another user", func(t *testing.T) {
		up := srv.startUpload(mallory, "one-line.csv")
		type answer struct {
			status int
			body   string
			took   time.Duration
		}
		bad := make(chan answer, 1)
		t0 := time.Now()
		go func() {
			fmt.Fprint(up.w, "a,b\n")
			chunk := bytes.Repeat([]byte("x"), 1<<20)
			for range 200 {
				if _, err := up.w.Write(chunk); err != nil {
					break
				}
			}
			fmt.Fprint(up.w, ",1\n")
			up.finish()
		}()
		go func() {
			<-up.done
			bad <- answer{up.status, up.body, time.Since(t0)}
		}()
		// While it arrives and is read, Alice uploads and asks.
		time.Sleep(time.Second)
		small := bytes.NewBufferString("id,value\n")
		for i := range 1000 {
			fmt.Fprintf(small, "%d,%d\n", i, i*3)
		}
		t1 := time.Now()
		sess := srv.upload(alice, "small.csv", small.Bytes())
		res := srv.turnResult(alice, sess, "SELECT sum(value) AS s FROM data")
		if took := time.Since(t1); took > 15*time.Second {
			t.Fatalf("alice's upload and query took %v during the bad upload", took)
		}
		if res.IsError || string(res.Result[0]["s"]) != "1498500" {
			t.Fatalf("alice's answer: %+v", res)
		}
		a := <-bad
		if a.status != 400 || !strings.Contains(a.body, "line") {
			t.Fatalf("the one-line file: %d %s after %v", a.status, a.body, a.took)
		}
		t.Logf("the one-line file was refused after %v: %s", a.took.Round(time.Millisecond), a.body)
	})

	t.Run("a client that hangs up stops its import", func(t *testing.T) {
		var csv bytes.Buffer
		csv.WriteString("id,value,label,day\n")
		for i := range 3_000_000 {
			fmt.Fprintf(&csv, "%d,%d.25,label %d,2024-%02d-%02d\n", i, i*3, i%97, i%12+1, i%28+1)
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "abandoned.csv")
		fw.Write(csv.Bytes())
		mw.Close()
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+srv.addr+"/api/upload", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+mallory)
		before := len(srv.sessionDirs())
		done := make(chan struct{})
		go func() {
			defer close(done)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
				t.Errorf("the upload answered %d before the client hung up", resp.StatusCode)
			}
		}()
		srv.waitFor("the import to start", func() bool { return len(srv.sessionDirs()) > before })
		cancel() // closes the connection
		<-done
		srv.waitFor("the import to stop and its files to go", func() bool {
			return len(srv.sessionDirs()) == before && strings.Contains(srv.log(), "upload abandoned by its client")
		})
	})

	t.Run("the data folder's path is unknowable", func(t *testing.T) {
		abs, _ := filepath.Abs(srv.dataDir)
		for _, q := range []string{
			"SELECT replace(current_setting('allowed_paths')::VARCHAR,'/','|') AS p",
			"SELECT upper(current_setting('allowed_paths')::VARCHAR) AS p",
			"SELECT to_base64(encode(current_setting('allowed_paths')::VARCHAR)) AS p",
			"SELECT to_base64(encode(sql)) AS p FROM duckdb_views() WHERE view_name = 'data'",
		} {
			res := srv.turnResult(mallory, mSession, q)
			raw, _ := json.Marshal(res)
			text := string(raw)
			for _, form := range []string{abs, strings.ReplaceAll(abs, "/", "|"), strings.ToUpper(abs), filepath.Base(abs) + "/"} {
				if strings.Contains(text, form) {
					t.Fatalf("%s revealed %q: %s", q, form, text)
				}
			}
			if b64 := base64.StdEncoding.EncodeToString([]byte(abs)); strings.Contains(text, b64[:len(b64)-4]) {
				t.Fatalf("%s revealed the path in base64: %s", q, text)
			}
		}
	})

	t.Run("a NUL byte is refused in plain words", func(t *testing.T) {
		ws := srv.dial(mallory, mSession)
		defer ws.Close()
		ws.WriteJSON(map[string]string{"type": "message", "text": "SELECT 1\x00"})
		ev := readEvent(t, ws, "error")
		if !strings.Contains(ev, "NUL") {
			t.Fatalf("error %s", ev)
		}
	})

	t.Run("API answers are not cached", func(t *testing.T) {
		for _, path := range []string{"/api/health", "/api/sessions"} {
			req, _ := http.NewRequest("GET", "http://"+srv.addr+path, nil)
			req.Header.Set("Authorization", "Bearer "+mallory)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Fatalf("%s: Cache-Control %q", path, cc)
			}
		}
	})

	t.Run("a deleted account's socket is closed", func(t *testing.T) {
		ws := srv.dial(alice, srv.upload(alice, "people.csv", people))
		defer ws.Close()
		cmd := exec.Command(bin, "user", "delete", "alice@example.com")
		cmd.Dir = srv.dir
		cmd.Env = append(os.Environ(), "DATA_DIR="+srv.dataDir, "DATABASE_URL=sqlite:///"+srv.dbPath)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("user delete: %v\n%s", err, out)
		}
		ws.SetReadDeadline(time.Now().Add(20 * time.Second))
		for {
			_, _, err := ws.ReadMessage()
			if err == nil {
				continue
			}
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("the socket was not closed by the server: %v", err)
			}
			t.Logf("closed: %d %s", ce.Code, ce.Text)
			break
		}
	})

	if hwm := srv.peakRSS(); hwm > abuseMemoryLimit+abuseOverhead {
		t.Fatalf("peak RSS %d MiB, over the %d MiB limit plus %d MiB", hwm>>20, abuseMemoryLimit>>20, abuseOverhead>>20)
	} else {
		t.Logf("peak RSS %d MiB (limit %d MiB + %d MiB overhead)", hwm>>20, abuseMemoryLimit>>20, abuseOverhead>>20)
	}
	srv.stop()
}

// queryResult is the part of a query_result event these tests read.
type queryResult struct {
	IsError         bool                         `json:"is_error"`
	Error           string                       `json:"error"`
	Result          []map[string]json.RawMessage `json:"result"`
	Truncated       bool                         `json:"truncated"`
	TruncatedReason string                       `json:"truncated_reason"`
}

// turnResult sends SQL over a fresh socket and returns the turn's query
// result (or its error event as a failed result), reading to `done`.
func (s *crashServer) turnResult(token, session, sql string) queryResult {
	s.t.Helper()
	ws := s.dial(token, session)
	defer ws.Close()
	ws.WriteJSON(map[string]string{"type": "message", "text": sql})
	var out queryResult
	for {
		var ev struct {
			Event string          `json:"event"`
			Data  json.RawMessage `json:"data"`
		}
		ws.SetReadDeadline(time.Now().Add(2 * time.Minute))
		if err := ws.ReadJSON(&ev); err != nil {
			s.t.Fatalf("%s: %v; log:\n%s", sql, err, s.log())
		}
		switch ev.Event {
		case "query_result":
			out = queryResult{}
			json.Unmarshal(ev.Data, &out)
		case "error":
			var e struct{ Message string }
			json.Unmarshal(ev.Data, &e)
			out = queryResult{IsError: true, Error: e.Message}
		case "done":
			return out
		}
	}
}

// readEvent reads events until one named name arrives and returns its data.
func readEvent(t *testing.T, ws *websocket.Conn, name string) string {
	t.Helper()
	for {
		var ev struct {
			Event string          `json:"event"`
			Data  json.RawMessage `json:"data"`
		}
		ws.SetReadDeadline(time.Now().Add(30 * time.Second))
		if err := ws.ReadJSON(&ev); err != nil {
			t.Fatal(err)
		}
		if ev.Event == name {
			return string(ev.Data)
		}
	}
}

// peakRSS reads the server process's high-water mark of resident memory.
func (s *crashServer) peakRSS() int64 {
	s.t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		s.t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				s.t.Fatal(err)
			}
			return kb << 10
		}
	}
	s.t.Fatal("no VmHWM in /proc status")
	return 0
}
