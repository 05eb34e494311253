package duck

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSandboxCacheBounded opens many sessions in a row: the cache of
// sandbox instances stays at MaxCachedSessions, the least recently used
// ones are closed, one in use is never closed, and an evicted session
// still answers (it reopens).
func TestSandboxCacheBounded(t *testing.T) {
	const capN = 3
	e := newTestEngine(t, func(c *Config) { c.MaxCachedSessions = capN })
	var ids []string
	boxes := map[string]*sandbox{}
	for i := range 10 {
		id, _ := mustIngest(t, e, "s.csv", fmt.Appendf(nil, "a,b\n%d,x\n", i))
		ids = append(ids, id)
		mustQuery(t, e, id, "SELECT a FROM data")
		e.mu.Lock()
		n := len(e.boxes)
		boxes[id] = e.boxes[id]
		e.mu.Unlock()
		if n > capN {
			t.Fatalf("after %d sessions the cache holds %d, cap %d", i+1, n, capN)
		}
	}
	waitEvicted(t, e)
	e.mu.Lock()
	for _, id := range ids[len(ids)-capN:] {
		if e.boxes[id] == nil {
			t.Errorf("a recent session %s was evicted", id)
		}
	}
	e.mu.Unlock()
	for _, id := range ids[:len(ids)-capN] {
		b := boxes[id]
		b.mu.Lock()
		closed, instances := b.closed, b.shared != nil
		b.mu.Unlock()
		if !closed || instances {
			t.Errorf("evicted session %s: closed=%v instances open=%v", id, closed, instances)
		}
	}

	// A session in use is never evicted, however old.
	held, release, err := e.acquire(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[1:] {
		mustQuery(t, e, id, "SELECT 1")
	}
	e.mu.Lock()
	kept := e.boxes[ids[0]] == held
	e.mu.Unlock()
	if !kept || held.closed {
		t.Fatal("a session in use was evicted")
	}
	if res := mustQuery(t, e, ids[0], "SELECT a FROM data"); fmt.Sprint(res.Rows) != "[[0]]" {
		t.Errorf("evicted session reopened: %v", res.Rows)
	}
	release()
	waitEvicted(t, e)
	e.mu.Lock()
	n := len(e.boxes)
	e.mu.Unlock()
	if n > capN {
		t.Errorf("after release the cache holds %d, cap %d", n, capN)
	}
}

// waitEvicted waits for evicted sandboxes to finish closing.
func waitEvicted(t *testing.T, e *Engine) {
	t.Helper()
	done := make(chan struct{})
	go func() { e.background.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("evicted sandboxes did not close")
	}
}

// TestMeasureSessionsRSS uploads DUCK_RSS_SESSIONS small files in a row,
// each followed by a preview and a query as the server's upload does, and
// logs the process's resident memory. It runs only when asked:
//
//	DUCK_RSS_SESSIONS=1000 go test -count=1 -run TestMeasureSessionsRSS -v ./duck/
func TestMeasureSessionsRSS(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("DUCK_RSS_SESSIONS"))
	if n <= 0 {
		t.Skip("set DUCK_RSS_SESSIONS")
	}
	e := newTestEngine(t, func(c *Config) {
		c.Threads = 2
		if v, _ := strconv.Atoi(os.Getenv("DUCK_RSS_CAP")); v > 0 {
			c.MaxCachedSessions = v
		}
	})
	t.Logf("cap %d sessions", e.cfg.MaxCachedSessions)
	var content strings.Builder
	content.WriteString("id,name,amount,day\n")
	for i := range 2000 {
		fmt.Fprintf(&content, "%d,name %d,%d.5,2024-01-%02d\n", i, i%97, i, 1+i%28)
	}
	start := time.Now()
	peak := int64(0)
	for i := 1; i <= n; i++ {
		id, _ := mustIngest(t, e, "s.csv", []byte(content.String()))
		if _, err := e.Preview(context.Background(), id, 20); err != nil {
			t.Fatal(err)
		}
		mustQuery(t, e, id, "SELECT count(*) FROM data")
		if i%100 == 0 || i == n {
			runtime.GC()
			rss := rssBytes(t)
			peak = max(peak, rss)
			e.mu.Lock()
			cached := len(e.boxes)
			e.mu.Unlock()
			t.Logf("%d sessions: RSS %d MiB, cached %d, %v", i, rss>>20, cached, time.Since(start).Round(time.Second))
		}
	}
	t.Logf("peak RSS %d MiB", peak>>20)
}

func rssBytes(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc")
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
