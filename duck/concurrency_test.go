package duck

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
)

// TestConcurrentSessions ingests, queries, previews, profiles and removes
// several sessions at once (run it with -race).
func TestConcurrentSessions(t *testing.T) {
	e := newTestEngine(t, func(c *Config) { c.IdleTimeout = 300 * time.Millisecond; c.Threads = 1 })
	const sessions, queries = 4, 6
	var wg sync.WaitGroup
	errs := make(chan error, sessions*queries*4)
	for s := 0; s < sessions; s++ {
		wg.Add(1)
		go func(s int) {
			defer wg.Done()
			id := uuid.NewString()
			csv := fmt.Sprintf("k,v\n%d,a\n%d,b\n", s, s)
			if _, err := e.Ingest(context.Background(), id, writeUpload(t, []byte(csv)), "s.csv"); err != nil {
				errs <- err
				return
			}
			var qwg sync.WaitGroup
			for q := 0; q < queries; q++ {
				qwg.Add(1)
				go func(q int) {
					defer qwg.Done()
					res, err := e.Query(context.Background(), id, "SELECT sum(k) AS s, count(*) AS n FROM data")
					if err != nil {
						errs <- err
						return
					}
					if res.Rows[0][1] != int64(2) || res.Rows[0][0] != int64(2*s) {
						errs <- fmt.Errorf("session %d read %v", s, res.Rows)
					}
					if _, err := e.Preview(context.Background(), id, 1); err != nil {
						errs <- err
					}
					if q == 0 {
						if _, err := e.Profile(context.Background(), id); err != nil {
							errs <- err
						}
					}
				}(q)
			}
			qwg.Wait()
			if err := e.Remove(context.Background(), id); err != nil {
				errs <- err
			}
		}(s)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if files := listFiles(t, e.dataDir); len(files) != 0 {
		t.Errorf("left behind: %v", files)
	}
}

// TestRemoveAndCloseUnderLoad removes a session and closes the engine
// while queries run: every call returns, none hangs or panics.
func TestRemoveAndCloseUnderLoad(t *testing.T) {
	e := newTestEngine(t, func(c *Config) { c.Threads = 1 })
	id, _ := mustIngest(t, e, "a.csv", []byte("x\n1\n2\n"))
	other, _ := mustIngest(t, e, "b.csv", []byte("x\n1\n2\n"))
	slow := "SELECT count(*) FROM range(1000000) a, range(1000000) b"
	var wg sync.WaitGroup
	kinds := make(chan apperr.Kind, 16)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sid := id
			if i%2 == 1 {
				sid = other
			}
			_, err := e.Query(context.Background(), sid, slow)
			kinds <- kindOf(err)
		}(i)
	}
	time.Sleep(300 * time.Millisecond)
	if err := e.Remove(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := e.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close hung")
	}
	wg.Wait()
	close(kinds)
	for k := range kinds {
		if k != apperr.Canceled && k != apperr.NotFound && k != apperr.Unavailable {
			t.Errorf("query ended with %s", k)
		}
	}
	if _, err := e.Query(context.Background(), other, "SELECT 1"); kindOf(err) != apperr.Unavailable {
		t.Errorf("query after close: %v", err)
	}
}
