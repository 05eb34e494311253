package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fasthttp/websocket"
)

// server is a real `analyzer serve` process on a loopback port, with its
// own data directory and metadata database.
type server struct {
	cmd     *exec.Cmd
	pid     int
	base    string // http://127.0.0.1:port
	addr    string
	dataDir string
	logPath string
	token   string
	client  *http.Client
	exited  chan struct{}
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startServer runs bin serve with a clean environment in work/.
func startServer(ctx context.Context, bin, work string, env ...string) (*server, error) {
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	dataDir := filepath.Join(work, "data")
	logPath := filepath.Join(work, "server.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--addr", addr, "--data-dir", dataDir)
	cmd.Dir = work // no .env from the repository
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + work,
		"DATABASE_URL=sqlite:///" + filepath.Join(work, "meta.db"), // absolute: sqlite:////abs
		"SECRET_KEY=benchmark-secret-key-0123456789abcdef",
		"ANALYZER_PROVIDER=builtin",
		"LOG_LEVEL=debug",
		"LOG_FORMAT=json",
	}
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout = io.Discard
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	s := &server{
		cmd: cmd, pid: cmd.Process.Pid, base: "http://" + addr, addr: addr,
		dataDir: dataDir, logPath: logPath, exited: make(chan struct{}),
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}},
	}
	go func() { cmd.Wait(); logf.Close(); close(s.exited) }()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := s.client.Get(s.base + "/api/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s, nil
			}
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("the server exited at start; see %s", logPath)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, errors.New("the server did not answer /api/health within 2 minutes")
		}
	}
}

// stop asks the server to shut down (SIGTERM) and kills it if it lingers.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

func (s *server) do(ctx context.Context, method, path string, body any, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, r)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(raw))
	}
	if out != nil {
		return resp.StatusCode, json.Unmarshal(raw, out)
	}
	return resp.StatusCode, nil
}

func (s *server) register(ctx context.Context) error {
	var out struct{ Token string }
	if _, err := s.do(ctx, "POST", "/api/auth/register", map[string]string{"email": "bench@example.com", "password": "benchmark-password"}, &out); err != nil {
		return err
	}
	s.token = out.Token
	return nil
}

type uploadAnswer struct {
	SessionID string `json:"session_id"`
	File      struct {
		RowCount     int64    `json:"row_count"`
		ColumnCount  int      `json:"column_count"`
		ColumnTypes  []string `json:"column_types"`
		Columns      []string `json:"columns"`
		RejectedRows int64    `json:"rejected_rows"`
		SizeBytes    int64    `json:"size_bytes"`
	} `json:"file"`
}

// uploadResult is one upload through POST /api/upload.
type uploadResult struct {
	Total     time.Duration `json:"total_ns"`      // request start → response read
	BodySent  time.Duration `json:"body_sent_ns"`  // request start → last byte handed to the kernel
	PeakHWM   int64         `json:"peak_hwm"`      // server VmHWM, reset just before
	PeakPoll  int64         `json:"peak_polled"`   // largest VmRSS sample (every 10 ms)
	RSSBefore int64         `json:"rss_before"`    // server VmRSS before
	ServerCPU time.Duration `json:"server_cpu_ns"` // server user+system CPU during the upload
	Load      string        `json:"load_before"`
	Status    int           `json:"status"`
	Answer    uploadAnswer  `json:"answer"`
}

// eofReader notes when the file has been read to its end.
type eofReader struct {
	r    io.Reader
	once sync.Once
	at   time.Time
}

func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		e.once.Do(func() { e.at = time.Now() })
	}
	return n, err
}

// upload streams path as the multipart field "file" with a Content-Length,
// as a browser does, while polling the server's memory.
func (s *server) upload(ctx context.Context, path string) (uploadResult, error) {
	res := uploadResult{Load: loadAvg()}
	f, err := os.Open(path)
	if err != nil {
		return res, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return res, err
	}
	const boundary = "analyzer-benchmark-boundary-7f3a9c"
	head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
		filepath.Base(path) + "\"\r\nContent-Type: text/csv\r\n\r\n"
	tail := "\r\n--" + boundary + "--\r\n"
	er := &eofReader{r: f}
	body := io.MultiReader(strings.NewReader(head), er, strings.NewReader(tail))
	req, err := http.NewRequestWithContext(ctx, "POST", s.base+"/api/upload", body)
	if err != nil {
		return res, err
	}
	req.ContentLength = int64(len(head)) + st.Size() + int64(len(tail))
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	req.Header.Set("Authorization", "Bearer "+s.token)

	res.RSSBefore, _ = procStatus(s.pid, "VmRSS")
	hwmReset := resetPeak(s.pid) == nil
	cpu0, _ := procCPU(s.pid)
	poll := pollRSS(s.pid, 10*time.Millisecond)
	t0 := time.Now()
	resp, err := s.client.Do(req)
	var raw []byte
	if err == nil {
		raw, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	res.Total = time.Since(t0)
	res.PeakPoll = poll.finish()
	cpu1, _ := procCPU(s.pid)
	res.ServerCPU = cpu1 - cpu0
	if hwmReset {
		res.PeakHWM, _ = procStatus(s.pid, "VmHWM")
	}
	if !er.at.IsZero() {
		res.BodySent = er.at.Sub(t0)
	}
	if err != nil {
		return res, err
	}
	res.Status = resp.StatusCode
	if resp.StatusCode != 200 {
		return res, fmt.Errorf("upload: %d %s", resp.StatusCode, bytes.TrimSpace(raw))
	}
	return res, json.Unmarshal(raw, &res.Answer)
}

// receiveOnly times the HTTP path of an upload alone: a file of size bytes
// that starts like Parquet but has no footer (the rest is a hole, read as
// zeros) passes the check of its first bytes, is received and written in
// full, then refused by the content check (its last bytes) before DuckDB
// sees it. (A file refused from its first bytes, a PDF say, is not
// written: the rest of the form is only read to its end.)
func (s *server) receiveOnly(ctx context.Context, dir string, size int64) (uploadResult, error) {
	path := filepath.Join(dir, "junk.parquet")
	if err := os.WriteFile(path, []byte("PAR1"), 0o644); err != nil {
		return uploadResult{}, err
	}
	defer os.Remove(path)
	if err := os.Truncate(path, size); err != nil {
		return uploadResult{}, err
	}
	res, err := s.upload(ctx, path)
	if res.Status == 400 {
		return res, nil
	}
	if err == nil {
		err = fmt.Errorf("the junk upload was accepted")
	}
	return res, err
}

// ws is a chat connection.
type ws struct {
	conn *websocket.Conn
	Busy int // messages refused because the previous turn was not yet marked finished
}

func (s *server) dialWS(id string) (*ws, error) {
	c, _, err := websocket.DefaultDialer.Dial("ws://"+s.addr+"/api/sessions/"+id+"/ws?token="+s.token, nil)
	if err != nil {
		return nil, err
	}
	return &ws{conn: c}, nil
}

type queryResultEvent struct {
	IsError   bool   `json:"is_error"`
	Error     string `json:"error"`
	RowCount  int64  `json:"row_count"`
	ElapsedMS int64  `json:"elapsed_ms"`
	Result    []any  `json:"result"`
}

// ask sends sql as a chat message and returns the time until its
// query_result event, then waits for the turn's done.
func (w *ws) ask(sql string, timeout time.Duration) (time.Duration, queryResultEvent, error) {
	var qr queryResultEvent
	_ = w.conn.SetReadDeadline(time.Now().Add(timeout))
	msg, _ := json.Marshal(map[string]string{"type": "message", "text": sql})
	t0 := time.Now()
	if err := w.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
		return 0, qr, err
	}
	var took time.Duration
	got := false
	busy := 0
	for {
		_, raw, err := w.conn.ReadMessage()
		if err != nil {
			return 0, qr, err
		}
		var ev struct {
			Event string          `json:"event"`
			Data  json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(raw, &ev); err != nil {
			return 0, qr, err
		}
		switch ev.Event {
		case "query_result":
			took = time.Since(t0)
			got = true
			if err := json.Unmarshal(ev.Data, &qr); err != nil {
				return 0, qr, err
			}
		case "error":
			if !got && strings.Contains(string(ev.Data), "still running") && busy < 100 {
				// The server emits done before it marks the turn
				// finished, so a message sent at once after done can be
				// refused: send it again, timing from the new send.
				busy++
				w.Busy++
				time.Sleep(2 * time.Millisecond)
				t0 = time.Now()
				if err := w.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
					return 0, qr, err
				}
				continue
			}
			return 0, qr, fmt.Errorf("error event: %s", ev.Data)
		case "done":
			if !got {
				return 0, qr, errors.New("the turn ended without a query_result")
			}
			if qr.IsError {
				return took, qr, fmt.Errorf("query failed: %s", qr.Error)
			}
			return took, qr, nil
		}
	}
}

func (w *ws) close() { w.conn.Close() }

// serverLog is what the server's debug log says about the ingest.
type serverLog struct {
	Attempts []map[string]any
	Ingested map[string]any
	Profiled map[string]any
	Requests []time.Duration // durations of GET /api/sessions/{id}
}

// readServerLog collects the engine's debug lines and the request lines
// of path from the server's JSON log, starting at byte offset from.
func readServerLog(path string, from int64, detailPath string) (serverLog, int64) {
	var out serverLog
	f, err := os.Open(path)
	if err != nil {
		return out, from
	}
	defer f.Close()
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		return out, from
	}
	br := bufio.NewReaderSize(f, 1<<20)
	pos := from
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			pos += int64(len(line))
			var m map[string]any
			if json.Unmarshal(line, &m) == nil {
				switch m["msg"] {
				case "duck: csv attempt":
					out.Attempts = append(out.Attempts, m)
				case "duck: ingested":
					out.Ingested = m
				case "duck: profiled":
					out.Profiled = m
				case "request":
					if m["method"] == "GET" && m["path"] == detailPath {
						if d, ok := m["duration"].(float64); ok {
							out.Requests = append(out.Requests, time.Duration(d))
						}
					}
				}
			}
		}
		if err != nil {
			return out, pos
		}
	}
}

// logDur reads a duration field of a JSON log line (nanoseconds).
func logDur(m map[string]any, key string) time.Duration {
	if m == nil {
		return 0
	}
	if v, ok := m[key].(float64); ok {
		return time.Duration(v)
	}
	return 0
}
