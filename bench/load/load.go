package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/app"
	"github.com/analyzerhq/analyzer/config"
)

// Config sizes a run. Every loop is bounded by these numbers.
type Config struct {
	Users       int
	Sockets     int
	Turns       int
	Requests    int
	Concurrency int
	Rows        int
	MinRatio    float64
	Profile     io.Writer // when set, a CPU profile of the sessions measurement
	// Heavy users each send HeavyQuery at the same moment, after the
	// ordinary turns; MemoryLimit is the server's ANALYZER_MEMORY_LIMIT.
	Heavy       int
	HeavyQuery  string
	MemoryLimit string
}

// heavyQuery is the memory-heavy query of the "No user can take the server
// down" report: a distinct count whose hash table wants gigabytes.
const heavyQuery = "SELECT count(DISTINCT (range::VARCHAR || 'abcdefghijklmnopqrstuvwxyz0123456789')) FROM range(400000000)"

func defaultConfig() Config {
	return Config{Users: 100, Sockets: 10, Turns: 50, Requests: 20000, Concurrency: 32, Rows: 500, MinRatio: 0.5,
		Heavy: 10, HeavyQuery: heavyQuery, MemoryLimit: "2GB"}
}

// phase is one kind of operation: its latencies and failures.
type phase struct {
	Name      string
	mu        sync.Mutex
	latencies []time.Duration
	errors    int64
	firstErr  error
	elapsed   time.Duration
}

func (p *phase) observe(d time.Duration, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.errors++
		if p.firstErr == nil {
			p.firstErr = err
		}
		return
	}
	p.latencies = append(p.latencies, d)
}

func (p *phase) percentile(q float64) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.latencies) == 0 {
		return 0
	}
	s := slices.Clone(p.latencies)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func (p *phase) ok() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.latencies)
}

func (p *phase) throughput() float64 {
	if p.elapsed <= 0 {
		return 0
	}
	return float64(p.ok()) / p.elapsed.Seconds()
}

// Results is what a run measured.
type Results struct {
	Backend     backend
	Instances   int
	Phases      []*phase
	OpenSockets int
	Ratio       float64
	Sessions    *phase
	Bare        *phase
	Took        time.Duration
	// HeavyOutcomes counts how the memory-heavy turns ended: "answered",
	// or the first words of the message they were refused with.
	HeavyOutcomes map[string]int
	PeakRSS       int64 // VmHWM of this process (server and clients), bytes
}

func (r *Results) errors() int64 {
	var n int64
	for _, p := range r.Phases {
		n += p.errors
	}
	return n
}

func (r *Results) print(w io.Writer, cfg Config) {
	fmt.Fprintf(w, "\nMachine: %d CPUs, %s/%s, %s. Run took %s.\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), r.Took.Round(time.Second))
	fmt.Fprintln(w, "| Phase | OK | Errors | p50 | p99 | Throughput |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, p := range r.Phases {
		tp := ""
		if p.elapsed > 0 {
			tp = fmt.Sprintf("%.0f/s", p.throughput())
		}
		fmt.Fprintf(w, "| %s | %d | %d | %s | %s | %s |\n", p.Name, p.ok(), p.errors, fmtDur(p.percentile(0.5)), fmtDur(p.percentile(0.99)), tp)
	}
	fmt.Fprintf(w, "\nWebSockets open at once: %d. Concurrent chat turns: %d.\n", r.OpenSockets, min(cfg.Turns, cfg.Users))
	if len(r.HeavyOutcomes) > 0 {
		keys := slices.Sorted(maps.Keys(r.HeavyOutcomes))
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%d × %s", r.HeavyOutcomes[k], k)
		}
		fmt.Fprintf(w, "Memory-heavy turns at once: %d (ANALYZER_MEMORY_LIMIT=%s): %s.\n", min(cfg.Heavy, cfg.Users), cfg.MemoryLimit, strings.Join(parts, "; "))
	}
	if r.PeakRSS > 0 {
		fmt.Fprintf(w, "Peak RSS of the process (server and clients): %d MiB.\n", r.PeakRSS>>20)
	}
	if r.Sessions != nil && r.Bare != nil {
		fmt.Fprintf(w, "GET /api/sessions (authenticated, best of 3 rounds of %d requests, %d clients): %.0f req/s; bare Fiber JSON handler: %.0f req/s; ratio %.2f.\n",
			cfg.Requests, cfg.Concurrency, r.Sessions.throughput(), r.Bare.throughput(), r.Ratio)
	}
	for _, p := range r.Phases {
		if p.firstErr != nil {
			fmt.Fprintf(w, "First error of %s: %v\n", p.Name, p.firstErr)
		}
	}
}

func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// user is one simulated user.
type user struct {
	addr    string // the instance it talks to
	email   string
	token   string
	session string
	sockets []*websocket.Conn
}

// run starts one instance on SQLite and the bare handler on loopback,
// drives them, and stops them.
func run(ctx context.Context, cfg Config, logw io.Writer) (*Results, error) {
	return runOn(ctx, cfg, logw, backendSQLite, nil)
}

// runOn runs the workload against the backend's deployment; svc holds the
// shared services of pg2.
func runOn(ctx context.Context, cfg Config, logw io.Writer, b backend, svc *sharedServices) (*Results, error) {
	start := time.Now()
	logf := func(format string, args ...any) { fmt.Fprintf(logw, format+"\n", args...) }
	dir, err := os.MkdirTemp("", "analyzer-load-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	addrs, stopServer, err := startDeployment(ctx, dir, cfg, b, svc)
	if err != nil {
		return nil, err
	}
	defer stopServer()
	// Each user talks to one instance, round robin: with one instance,
	// to it.
	bases := make([]string, len(addrs))
	for i, a := range addrs {
		bases[i] = "http://" + a
	}
	base := bases[0]
	bareAddr, stopBare, err := startBare()
	if err != nil {
		return nil, err
	}
	defer stopBare()

	client := &http.Client{
		Timeout:   2 * time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Concurrency * 2, MaxIdleConns: cfg.Concurrency * 4, IdleConnTimeout: time.Minute},
	}
	defer client.CloseIdleConnections()
	res := &Results{Backend: b, Instances: len(addrs)}
	newPhase := func(name string) *phase {
		p := &phase{Name: name}
		res.Phases = append(res.Phases, p)
		return p
	}

	users := make([]*user, cfg.Users)
	for i := range users {
		users[i] = &user{addr: addrs[i%len(addrs)], email: fmt.Sprintf("load-%d@example.com", i)}
	}

	logf("registering %d users", cfg.Users)
	reg := newPhase("register")
	timed(reg, cfg.Concurrency, len(users), func(i int) error {
		tok, err := postJSON(client, "http://"+users[i].addr+"/api/auth/register", map[string]string{"email": users[i].email, "password": "load-password"})
		users[i].token = tok
		return err
	})

	logf("uploading %d files of %d rows", cfg.Users, cfg.Rows)
	csv := makeCSV(cfg.Rows)
	up := newPhase("upload")
	timed(up, cfg.Concurrency, len(users), func(i int) error {
		if users[i].token == "" {
			return errors.New("no token")
		}
		id, err := upload(client, "http://"+users[i].addr, users[i].token, csv)
		users[i].session = id
		return err
	})

	logf("listing sessions")
	list := newPhase("list sessions")
	timed(list, cfg.Concurrency, len(users), func(i int) error {
		// Listed through the other instance, when there are two: the
		// upload went through this one.
		n, err := listSessions(client, bases[(i+1)%len(bases)], users[i].token)
		if err == nil && n != 1 {
			err = fmt.Errorf("%d sessions listed, want 1", n)
		}
		return err
	})

	logf("opening %d WebSockets", cfg.Users*cfg.Sockets)
	dial := newPhase("open WebSocket")
	var sockMu sync.Mutex
	timed(dial, cfg.Concurrency, cfg.Users*cfg.Sockets, func(i int) error {
		u := users[i%cfg.Users]
		if u.session == "" {
			return errors.New("no session")
		}
		conn, err := dialWS(u.addr, u)
		if err == nil {
			sockMu.Lock()
			u.sockets = append(u.sockets, conn)
			sockMu.Unlock()
		}
		return err
	})
	defer func() {
		for _, u := range users {
			for _, c := range u.sockets {
				c.Close()
			}
		}
	}()
	for _, u := range users {
		res.OpenSockets += len(u.sockets)
	}

	turns := min(cfg.Turns, cfg.Users)
	logf("running %d chat turns at once over %d open sockets", turns, res.OpenSockets)
	chat := newPhase("chat turn")
	questions := []string{"SELECT city, avg(amount) AS avg_amount, count(*) AS n FROM data GROUP BY city ORDER BY n DESC", "average amount by city", "how many rows are there?", "top 5 cities by total amount"}
	var ready sync.WaitGroup
	ready.Add(turns)
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for i := range turns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := users[i]
			ready.Done()
			<-gate
			if len(u.sockets) == 0 {
				chat.observe(0, errors.New("no socket"))
				return
			}
			t0 := time.Now()
			err := turn(u.sockets[0], questions[i%len(questions)])
			chat.observe(time.Since(t0), err)
		}()
	}
	ready.Wait()
	t0 := time.Now()
	close(gate)
	wg.Wait()
	chat.elapsed = time.Since(t0)

	if cfg.Heavy > 0 {
		heavy := min(cfg.Heavy, cfg.Users)
		logf("running %d memory-heavy turns at once", heavy)
		p := newPhase("memory-heavy turn")
		res.HeavyOutcomes = map[string]int{}
		var mu sync.Mutex
		var hw sync.WaitGroup
		t0 := time.Now()
		for i := range heavy {
			hw.Add(1)
			go func() {
				defer hw.Done()
				u := users[i]
				if len(u.sockets) == 0 {
					p.observe(0, errors.New("no socket"))
					return
				}
				t := time.Now()
				outcome, err := heavyTurn(u.sockets[0], cfg.HeavyQuery)
				p.observe(time.Since(t), err)
				mu.Lock()
				res.HeavyOutcomes[outcome]++
				mu.Unlock()
			}()
		}
		hw.Wait()
		p.elapsed = time.Since(t0)
		// The server must still answer.
		if _, err := getJSON(client, base+"/api/health", ""); err != nil { // the first instance
			p.observe(0, fmt.Errorf("after the heavy turns: %w", err))
		}
	}

	logf("checking that every socket is still open")
	alive := newPhase("socket still open")
	timed(alive, cfg.Concurrency, res.OpenSockets, func(i int) error {
		u := users[i%cfg.Users]
		k := i / cfg.Users
		if k >= len(u.sockets) {
			return errors.New("no socket")
		}
		return u.sockets[k].WriteControl(websocket.PingMessage, nil, time.Now().Add(10*time.Second))
	})

	logf("measuring GET /api/sessions: %d requests, %d clients", cfg.Requests, cfg.Concurrency)
	tokens := make([]string, 0, len(users))
	for _, u := range users {
		if u.token != "" {
			tokens = append(tokens, u.token)
		}
	}
	if len(tokens) == 0 {
		return res, errors.New("no user could register")
	}
	// Warm each up, then measure them alternately, three rounds each,
	// keeping each one's best round: the machine may be shared, and
	// alternating exposes both to the same conditions.
	// Requests to the application alternate between its instances.
	type target struct {
		name string
		urls []string
		auth bool
		best *phase
	}
	under := func(path string) []string {
		out := make([]string, len(bases))
		for i, b := range bases {
			out[i] = b + path
		}
		return out
	}
	targets := []*target{
		{name: "GET /api/sessions (auth)", urls: under("/api/sessions"), auth: true},
		{name: "bare Fiber JSON", urls: []string{"http://" + bareAddr + "/sessions"}},
		{name: "GET /api/health (no auth)", urls: under("/api/health")},
	}
	round := func(tg *target, n int) *phase {
		p := &phase{Name: tg.name}
		var next atomic.Int64
		t0 := time.Now()
		timed(p, cfg.Concurrency, n, func(int) error {
			k := int(next.Add(1))
			tok := ""
			if tg.auth {
				tok = tokens[k%len(tokens)]
			}
			_, err := getJSON(client, tg.urls[k%len(tg.urls)], tok)
			return err
		})
		p.elapsed = time.Since(t0)
		return p
	}
	for _, tg := range targets {
		round(tg, max(cfg.Requests/10, 1))
	}
	if cfg.Profile != nil {
		pprof.StartCPUProfile(cfg.Profile)
	}
	failed := make([]int64, len(targets))
	for range 3 {
		for i, tg := range targets {
			p := round(tg, cfg.Requests)
			failed[i] += p.errors
			if tg.best == nil || p.throughput() > tg.best.throughput() {
				tg.best = p
			}
		}
	}
	for i, tg := range targets {
		tg.best.errors = failed[i] // every round's failures count
	}
	if cfg.Profile != nil {
		pprof.StopCPUProfile()
	}
	res.Sessions, res.Bare = targets[0].best, targets[1].best
	for _, tg := range targets {
		res.Phases = append(res.Phases, tg.best)
	}
	if bt := res.Bare.throughput(); bt > 0 {
		res.Ratio = res.Sessions.throughput() / bt
	}
	res.Took = time.Since(start)
	res.PeakRSS = peakRSS()

	switch {
	case res.errors() > 0:
		return res, fmt.Errorf("%d operations failed", res.errors())
	case res.OpenSockets != cfg.Users*cfg.Sockets:
		return res, fmt.Errorf("%d of %d sockets opened", res.OpenSockets, cfg.Users*cfg.Sockets)
	case cfg.MinRatio > 0 && res.Ratio < cfg.MinRatio:
		return res, fmt.Errorf("GET /api/sessions reached %.2f of the bare handler's throughput, below %.2f", res.Ratio, cfg.MinRatio)
	}
	return res, nil
}

// timed runs n calls of fn on `workers` goroutines, recording each.
func timed(p *phase, workers, n int, fn func(i int) error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	t0 := time.Now()
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t := time.Now()
				err := fn(i)
				p.observe(time.Since(t), err)
			}
		}()
	}
	wg.Wait()
	if p.elapsed == 0 {
		p.elapsed = time.Since(t0)
	}
}

// startServer runs the application as `analyzer serve` builds it
// (app.Open), with the configuration's defaults, except that the
// per-address registration and sign-in limits are off: every simulated
// user comes from 127.0.0.1.
func startServer(ctx context.Context, dir string, lc Config, backendEnv []string) (string, func(), error) {
	env := append([]string{
		"ANALYZER_REGISTER_LIMIT=off", "ANALYZER_LOGIN_IP_LIMIT=off",
		"DATA_DIR=" + filepath.Join(dir, "data"),
		"SECRET_KEY=load-test-secret-key-0123456789ab",
		"ANALYZER_PROVIDER=builtin",
		"ALLOW_REGISTRATION=true",
	}, backendEnv...)
	if lc.MemoryLimit != "" {
		env = append(env, "ANALYZER_MEMORY_LIMIT="+lc.MemoryLimit)
	}
	cfg, err := config.Load(env, "")
	if err != nil {
		return "", nil, err
	}
	if err := cfg.Validate(); err != nil {
		return "", nil, err
	}
	// Request lines are formatted as in production, then dropped.
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a, err := app.Open(ctx, cfg, log, app.Options{Version: "load"})
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		return "", nil, err
	}
	sctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.Server.Serve(sctx, ln, 10*time.Second) }()
	return ln.Addr().String(), func() {
		cancel()
		<-done
		a.Close()
	}, nil
}

// startBare serves a bare Fiber handler answering the same JSON as a
// one-session list, with nothing else: no middleware, auth or database.
func startBare() (string, func(), error) {
	type summary struct {
		ID          string    `json:"id"`
		Title       string    `json:"title"`
		CreatedAt   time.Time `json:"created_at"`
		Filename    string    `json:"filename"`
		RowCount    int64     `json:"row_count"`
		ColumnCount int       `json:"column_count"`
	}
	body := []summary{{ID: "01930000-0000-7000-8000-000000000000", Title: "load.csv", CreatedAt: time.Now().UTC(), Filename: "load.csv", RowCount: 500, ColumnCount: 4}}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/sessions", func(c *fiber.Ctx) error { return c.JSON(body) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go app.Listener(ln)
	return ln.Addr().String(), func() { app.Shutdown() }, nil
}

func makeCSV(rows int) []byte {
	var b bytes.Buffer
	b.WriteString("id,city,amount,day\n")
	cities := []string{"Paris", "Berlin", "Rome", "Madrid", "Lisbon", "Vienna", "Prague"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range rows {
		fmt.Fprintf(&b, "%d,%s,%.2f,2024-%02d-%02d\n", i, cities[r.IntN(len(cities))], r.Float64()*1000, i%12+1, i%28+1)
	}
	return b.Bytes()
}

func postJSON(client *http.Client, url string, body any) (string, error) {
	raw, _ := json.Marshal(body)
	resp, err := client.Post(url, "application/json", bytes.NewReader(raw))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("%s: %d %s", url, resp.StatusCode, out)
	}
	var tok struct{ Token string }
	json.Unmarshal(out, &tok)
	return tok.Token, nil
}

func upload(client *http.Client, base, token string, content []byte) (string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "load.csv")
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("upload: %d %s", resp.StatusCode, out)
	}
	var res struct {
		SessionID string `json:"session_id"`
	}
	json.Unmarshal(out, &res)
	return res.SessionID, nil
}

func getJSON(client *http.Client, url, token string) ([]byte, error) {
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != 200 {
		err = fmt.Errorf("GET %s: %d %s", url, resp.StatusCode, out)
	}
	return out, err
}

func listSessions(client *http.Client, base, token string) (int, error) {
	out, err := getJSON(client, base+"/api/sessions", token)
	if err != nil {
		return 0, err
	}
	var list []json.RawMessage
	if err := json.Unmarshal(out, &list); err != nil {
		return 0, err
	}
	return len(list), nil
}

func dialWS(addr string, u *user) (*websocket.Conn, error) {
	d := websocket.Dialer{HandshakeTimeout: 30 * time.Second}
	conn, resp, err := d.Dial("ws://"+addr+"/api/sessions/"+u.session+"/ws?token="+u.token, nil)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("dial: %d: %w", resp.StatusCode, err)
		}
		return nil, err
	}
	return conn, nil
}

// heavyTurn sends one memory-heavy query and reads to `done`. Being
// refused (an error event, a failed query) is an expected outcome, named by
// its message; a broken socket or no `done` is a failure.
func heavyTurn(conn *websocket.Conn, text string) (string, error) {
	if err := conn.WriteJSON(map[string]string{"type": "message", "text": text}); err != nil {
		return "socket failed", err
	}
	outcome := "answered"
	for {
		conn.SetReadDeadline(time.Now().Add(5 * time.Minute))
		var ev struct {
			Event agent.EventName `json:"event"`
			Data  struct {
				Message string `json:"message"`
				IsError bool   `json:"is_error"`
				Error   string `json:"error"`
			} `json:"data"`
		}
		if err := conn.ReadJSON(&ev); err != nil {
			return "socket failed", err
		}
		switch {
		case ev.Event == agent.EventError:
			outcome = "refused: " + firstWords(ev.Data.Message)
		case ev.Event == agent.EventQueryResult && ev.Data.IsError:
			outcome = "refused: " + firstWords(ev.Data.Error)
		case ev.Event == agent.EventDone:
			return outcome, nil
		}
	}
}

// firstWords keeps a message's first words, so that outcomes group.
func firstWords(msg string) string {
	w := strings.Fields(msg)
	return strings.Join(w[:min(len(w), 6)], " ")
}

// peakRSS reads this process's high-water mark of resident memory.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}

// turn sends one message and reads events up to `done`; an error event, a
// failed query or a stopped turn is an error.
func turn(conn *websocket.Conn, text string) error {
	if err := conn.WriteJSON(map[string]string{"type": "message", "text": text}); err != nil {
		return err
	}
	for {
		conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
		var ev struct {
			Event agent.EventName `json:"event"`
			Data  json.RawMessage `json:"data"`
		}
		if err := conn.ReadJSON(&ev); err != nil {
			return err
		}
		switch ev.Event {
		case agent.EventError:
			return fmt.Errorf("error event: %s", ev.Data)
		case agent.EventQueryResult:
			if strings.Contains(string(ev.Data), `"is_error":true`) {
				return fmt.Errorf("query failed: %.300s", ev.Data)
			}
		case agent.EventDone:
			if strings.Contains(string(ev.Data), `"stopped":true`) {
				return errors.New("the turn was stopped")
			}
			return nil
		}
	}
}
