//go:build linux || darwin

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/datadir"
	"github.com/analyzerhq/analyzer/storage"
)

// TestCrashSafety kills the real binary with SIGKILL during an upload,
// during an ingest and during a chat turn, restarts it each time, and
// checks that the database is sound, that every committed message is still
// there, and that no orphan file remains.
func TestCrashSafety(t *testing.T) {
	bin := buildBinary(t) // binary_test.go; skipped under -short
	dir := t.TempDir()
	srv := &crashServer{t: t, bin: bin, dir: dir, dataDir: filepath.Join(dir, "data"), dbPath: filepath.Join(dir, "meta.db")}
	srv.start()
	token := srv.register("alice@example.com")
	first := srv.upload(token, "people.csv", []byte("name,age,city\nAlice,30,Paris\nBob,25,Berlin\nCarol,35,Paris\n"))
	srv.chat(token, first, "SELECT city, count(*) AS n FROM data GROUP BY city")
	srv.chat(token, first, "average age by city")
	committed := srv.messages(token, first)
	if len(committed) < 4 {
		t.Fatalf("%d messages after two turns", len(committed))
	}

	t.Run("killed during an upload", func(t *testing.T) {
		up := srv.startUpload(token, "big.csv")
		fmt.Fprint(up.w, "id,value,label\n")
		for i := range 20000 {
			fmt.Fprintf(up.w, "%d,%d.5,row %d\n", i, i*7, i)
		}
		srv.waitFor("the upload to reach the disk", func() bool { return srv.uploadBytes() > 100<<10 })
		srv.kill()
		up.abandon()
		<-up.done
		if srv.uploadBytes() == 0 {
			t.Fatal("the crash left no half-written upload to clean")
		}
		srv.start()
		srv.assertConsistent(token, map[string][]message{first: committed})
		if !strings.Contains(srv.log(), "removed a half-written upload") {
			t.Fatalf("the restart did not report the cleanup:\n%s", srv.log())
		}
	})

	t.Run("killed during an ingest", func(t *testing.T) {
		var csv bytes.Buffer
		csv.WriteString("id,value,label,day\n")
		for i := range 300000 {
			fmt.Fprintf(&csv, "%d,%d.25,label %d,2024-%02d-%02d\n", i, i*3, i%97, i%12+1, i%28+1)
		}
		before := srv.sessionDirs()
		up := srv.startUpload(token, "ingest.csv")
		go func() { up.w.Write(csv.Bytes()); up.finish() }()
		srv.waitFor("the ingest to start", func() bool { return len(srv.sessionDirs()) > len(before) })
		srv.kill()
		<-up.done
		srv.start()
		srv.assertConsistent(token, map[string][]message{first: committed})
		switch l := srv.log(); {
		case strings.Contains(l, "removed the files of an interrupted upload"):
			t.Log("the interrupted ingest was removed")
		case strings.Contains(l, "moved aside"):
			t.Log("the ingest had completed without its session: set aside")
		default:
			t.Log("the upload committed before the kill")
		}
	})

	t.Run("killed during a chat turn", func(t *testing.T) {
		ws := srv.dial(token, first)
		ws.WriteJSON(map[string]string{"type": "message", "text": "SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 123"})
		for {
			var ev struct{ Event string }
			ws.SetReadDeadline(time.Now().Add(10 * time.Second))
			if err := ws.ReadJSON(&ev); err != nil {
				t.Fatal(err)
			}
			if ev.Event == "status" { // the user's message is stored before this
				break
			}
		}
		during := srv.messages(token, first)
		if len(during) != len(committed)+1 || during[len(during)-1].Role != "user" {
			t.Fatalf("the running turn's message was not committed: %d messages", len(during))
		}
		srv.kill()
		ws.Close()
		srv.start()
		srv.assertConsistent(token, map[string][]message{first: during})
		// The session still works.
		srv.chat(token, first, "SELECT count(*) AS n FROM data")
		committed = srv.messages(token, first)
	})

	t.Run("killed during a change to the data", func(t *testing.T) {
		// A committed change first: a second file and a new version.
		status, body := srv.do("POST", "/api/sessions/"+first+"/tables", token,
			strings.NewReader(`{"from_session_id":"`+srv.upload(token, "cities.csv", []byte("city,country\nParis,FR\nBerlin,DE\n"))+`"}`), "application/json")
		if status != http.StatusOK {
			t.Fatalf("add a table: %d %s", status, body)
		}
		srv.chat(token, first, "CREATE OR REPLACE TABLE people AS SELECT p.*, c.country FROM people p JOIN cities c USING (city) WHERE age > 26")
		before := srv.tables(token, first)
		committed = srv.messages(token, first)
		if len(before.Versions) != 3 || before.Tables[0].ColumnCount != 4 || before.Tables[0].RowCount != 2 {
			t.Fatalf("before the kill: %+v", before)
		}
		versionDirs := func() []string {
			var out []string
			entries, _ := os.ReadDir(filepath.Join(srv.dataDir, first, "v"))
			for _, e := range entries {
				out = append(out, e.Name())
			}
			return out
		}
		n := len(versionDirs())

		// A change that runs long, killed while its version is written.
		ws := srv.dial(token, first)
		ws.WriteJSON(map[string]string{"type": "message", "text": "CREATE OR REPLACE TABLE people AS SELECT * FROM people WHERE (SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 123) > 0"})
		srv.waitFor("the change to start writing", func() bool { return len(versionDirs()) > n })
		srv.kill()
		ws.Close()
		srv.start()
		srv.assertConsistent(token, map[string][]message{first: committed})
		after := srv.tables(token, first)
		if !reflect.DeepEqual(after, before) {
			t.Fatalf("the tables changed across the kill:\nbefore %+v\nafter  %+v", before, after)
		}
		if len(versionDirs()) != n {
			t.Fatalf("version directories: %d, want %d", len(versionDirs()), n)
		}
		if !strings.Contains(srv.log(), "removed a version that was never committed") {
			t.Fatalf("the restart did not report the cleanup:\n%s", srv.log())
		}
		// The committed change is what the data reads, and undo works.
		srv.chat(token, first, "SELECT count(*) AS n FROM data")
		if status, body := srv.do("POST", "/api/sessions/"+first+"/undo", token, nil, ""); status != http.StatusOK {
			t.Fatalf("undo after the restart: %d %s", status, body)
		}
		if st := srv.tables(token, first); st.Tables[0].RowCount != 3 {
			t.Fatalf("after undo: %+v", st.Tables[0])
		}
		committed = srv.messages(token, first)
	})

	srv.stop()
	store, err := storage.Open(context.Background(), srv.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if problems, err := store.Check(context.Background()); err != nil || len(problems) != 0 {
		t.Fatalf("database check: %v %v", problems, err)
	}
}

type message struct {
	ID   string          `json:"id"`
	Role string          `json:"role"`
	Type string          `json:"type"`
	Text string          `json:"text"`
	Data json.RawMessage `json:"data"`
}

// crashServer runs the binary over one data directory and database.
type crashServer struct {
	t       *testing.T
	bin     string
	dir     string
	dataDir string
	dbPath  string
	env     []string // extra environment, after the defaults

	cmd    *exec.Cmd
	addr   string
	waited chan struct{}
	logMu  sync.Mutex
	logs   bytes.Buffer
	runs   int
}

func (s *crashServer) start() {
	s.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	ln.Close()
	s.runs++
	s.logMu.Lock()
	s.logs.Reset()
	s.logMu.Unlock()
	cmd := exec.Command(s.bin, "serve", "--addr", s.addr)
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(),
		"DATA_DIR="+s.dataDir,
		"DATABASE_URL=sqlite:///"+s.dbPath,
		"SECRET_KEY=crash-test-secret-key-0123456789",
		"ANALYZER_PROVIDER=builtin",
		"ANALYZER_NO_BROWSER=1",
		"LOG_FORMAT=json",
	)
	cmd.Env = append(cmd.Env, s.env...)
	stderr, _ := cmd.StderrPipe()
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.cmd = cmd
	s.waited = make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			s.logMu.Lock()
			s.logs.WriteString(sc.Text() + "\n")
			s.logMu.Unlock()
		}
		cmd.Wait()
		close(s.waited)
	}()
	s.t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-s.waited
		}
	})
	s.waitFor("the server to answer", func() bool {
		resp, err := http.Get("http://" + s.addr + "/api/health")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
}

func (s *crashServer) log() string {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return s.logs.String()
}

func (s *crashServer) kill() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		s.t.Fatal(err)
	}
	<-s.waited
}

func (s *crashServer) stop() {
	s.t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.waited:
	case <-time.After(30 * time.Second):
		s.t.Fatal("the server did not stop on SIGTERM")
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		s.t.Fatalf("exit code %d:\n%s", code, s.log())
	}
}

func (s *crashServer) waitFor(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s; log:\n%s", what, s.log())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *crashServer) do(method, path, token string, body io.Reader, contentType string) (int, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest(method, "http://"+s.addr+path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func (s *crashServer) register(email string) string {
	s.t.Helper()
	status, body := s.do("POST", "/api/auth/register", "", strings.NewReader(`{"email":"`+email+`","password":"password123"}`), "application/json")
	var out struct{ Token string }
	if json.Unmarshal(body, &out); status != 200 || out.Token == "" {
		s.t.Fatalf("register: %d %s", status, body)
	}
	return out.Token
}

func (s *crashServer) upload(token, name string, content []byte) string {
	s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	status, body := s.do("POST", "/api/upload", token, &buf, mw.FormDataContentType())
	var out struct {
		SessionID string `json:"session_id"`
	}
	if json.Unmarshal(body, &out); status != 200 || out.SessionID == "" {
		s.t.Fatalf("upload: %d %s", status, body)
	}
	return out.SessionID
}

// upload in progress: the caller writes the file to w, then finishes or
// abandons it.
type pendingUpload struct {
	w    io.Writer
	pw   *io.PipeWriter
	mw   *multipart.Writer
	done chan struct{}
	// status and body are the server's answer, once done is closed (0
	// when there was none).
	status int
	body   string
}

func (u *pendingUpload) finish() { u.mw.Close(); u.pw.Close() }

func (u *pendingUpload) abandon() { u.pw.CloseWithError(io.ErrUnexpectedEOF) }

// startUpload starts an upload whose file the caller then writes.
func (s *crashServer) startUpload(token, name string) *pendingUpload {
	s.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req, _ := http.NewRequest("POST", "http://"+s.addr+"/api/upload", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	u := &pendingUpload{pw: pw, mw: mw, done: make(chan struct{})}
	go func() {
		defer close(u.done)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			u.status, u.body = resp.StatusCode, string(b)
		}
		pr.CloseWithError(io.ErrClosedPipe) // unblock a writer once the server is gone
	}()
	w, err := mw.CreateFormFile("file", name)
	if err != nil {
		s.t.Fatal(err)
	}
	u.w = w
	return u
}

func (s *crashServer) dial(token, session string) *websocket.Conn {
	s.t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+s.addr+"/api/sessions/"+session+"/ws?token="+token, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return conn
}

// chat runs one turn to its end.
func (s *crashServer) chat(token, session, text string) {
	s.t.Helper()
	ws := s.dial(token, session)
	defer ws.Close()
	ws.WriteJSON(map[string]string{"type": "message", "text": text})
	for {
		var ev struct{ Event string }
		ws.SetReadDeadline(time.Now().Add(30 * time.Second))
		if err := ws.ReadJSON(&ev); err != nil {
			s.t.Fatal(err)
		}
		if ev.Event == "done" {
			return
		}
	}
}

func (s *crashServer) messages(token, session string) []message {
	s.t.Helper()
	status, body := s.do("GET", "/api/sessions/"+session, token, nil, "")
	var out struct {
		Messages []message `json:"messages"`
		File     struct {
			PreviewError string `json:"preview_error"`
		} `json:"file"`
	}
	if json.Unmarshal(body, &out); status != 200 || out.File.PreviewError != "" {
		s.t.Fatalf("session %s: %d %s", session, status, body)
	}
	return out.Messages
}

// tablesState is what GET /api/sessions/:id/tables says, the parts that
// must survive a crash.
type tablesState struct {
	Tables []struct {
		Name             string `json:"name"`
		CurrentVersionID string `json:"current_version_id"`
		RowCount         int64  `json:"row_count"`
		ColumnCount      int64  `json:"column_count"`
	} `json:"tables"`
	Versions []struct {
		ID       string `json:"id"`
		Seq      int64  `json:"seq"`
		RowCount int64  `json:"row_count"`
	} `json:"versions"`
}

func (s *crashServer) tables(token, session string) tablesState {
	s.t.Helper()
	status, body := s.do("GET", "/api/sessions/"+session+"/tables", token, nil, "")
	if status != http.StatusOK {
		s.t.Fatalf("tables: %d %s", status, body)
	}
	var st tablesState
	if err := json.Unmarshal(body, &st); err != nil {
		s.t.Fatal(err)
	}
	return st
}

func (s *crashServer) uploadBytes() int64 {
	var n int64
	entries, _ := os.ReadDir(datadir.UploadsDir(s.dataDir))
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			n += info.Size()
		}
	}
	return n
}

func (s *crashServer) sessionDirs() []string {
	var out []string
	entries, _ := os.ReadDir(s.dataDir)
	for _, e := range entries {
		if _, err := uuid.Parse(e.Name()); err == nil && e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

// assertConsistent checks the restarted server against the disk: the
// database is sound; every committed message is there, unchanged; every
// session directory belongs to a session with complete data; nothing is
// half-written; and anything set aside is a complete dataset.
func (s *crashServer) assertConsistent(token string, want map[string][]message) {
	s.t.Helper()
	ctx := context.Background()
	store, err := storage.Open(ctx, s.dbPath)
	if err != nil {
		s.t.Fatal(err)
	}
	defer store.Close()
	if problems, err := store.Check(ctx); err != nil || len(problems) != 0 {
		s.t.Fatalf("database check: %v %v", problems, err)
	}
	for session, msgs := range want {
		got := s.messages(token, session)
		if len(got) < len(msgs) || !reflect.DeepEqual(got[:len(msgs)], msgs) {
			s.t.Fatalf("session %s lost messages: had %d, now %d", session, len(msgs), len(got))
		}
	}
	rows, err := store.StoredSessions(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	known := map[string]bool{}
	for _, r := range rows {
		known[r.ID] = true
		if !r.HasFile {
			s.t.Fatalf("session %s has no file record", r.ID)
		}
		s.messages(token, r.ID) // its data reads: no preview_error
	}
	for _, d := range s.sessionDirs() {
		if !known[d] {
			s.t.Fatalf("orphan session directory %s after the restart", d)
		}
		for _, leftover := range []string{"tmp", "profile.json.tmp"} {
			if _, err := os.Stat(filepath.Join(s.dataDir, d, leftover)); err == nil {
				s.t.Fatalf("leftover %s in session %s", leftover, d)
			}
		}
	}
	if n := s.uploadBytes(); n != 0 {
		s.t.Fatalf("%d bytes of half-written uploads remain", n)
	}
	entries, _ := os.ReadDir(datadir.OrphansDir(s.dataDir))
	for _, e := range entries {
		// Set aside, not deleted: only a dataset whose ingest completed.
		if _, err := os.Stat(filepath.Join(datadir.OrphansDir(s.dataDir), e.Name(), datadir.DataFile)); err != nil {
			s.t.Fatalf("incomplete orphan kept: %s", e.Name())
		}
	}
}
