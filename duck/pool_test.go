package duck

import (
	"context"
	"testing"
	"time"
)

// waitPool waits until the pool holds n ready instances.
func waitPool(t *testing.T, e *Engine, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		e.pool.mu.Lock()
		ready := len(e.pool.ready)
		e.pool.mu.Unlock()
		if ready >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the pool holds %d instances, want %d", ready, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestPoolInstancesUsedOnceAndLocked: queries take pre-opened instances,
// each query gets one that no SQL has run on, every one is locked before
// the query sees it, and none goes back to the pool.
func TestPoolInstancesUsedOnceAndLocked(t *testing.T) {
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "p.csv", []byte("a,b\n1,x\n2,y\n"))
	waitPool(t, e, PooledInstances) // opening the session filled it

	// The pooled instances are the next ones handed out.
	e.pool.mu.Lock()
	pooled := append([]any(nil), e.pool.ready[0], e.pool.ready[1])
	e.pool.mu.Unlock()
	opened := e.pool.opened.Load()
	b, release, err := e.acquire(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	db, err := b.takeClean(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if any(db) != pooled[0] && any(db) != pooled[1] {
		t.Fatal("a query did not take a pooled instance")
	}
	if n := e.pool.opened.Load(); n != opened {
		t.Errorf("%d instances opened for a query while the pool held %d", n-opened, PooledInstances)
	}
	// Bound to the session and locked before anything else runs on it.
	var locked string
	if err := db.QueryRow("SELECT current_setting('lock_configuration')::VARCHAR").Scan(&locked); err != nil || locked != "true" {
		t.Errorf("lock_configuration = %q (%v)", locked, err)
	}
	for _, set := range []string{"SET memory_limit = '8GB'", "SET enable_external_access = true", "SET allowed_paths = ['/']", "RESET lock_configuration"} {
		if _, err := db.Exec(set); err == nil {
			t.Errorf("%s succeeded on a pooled instance", set)
		}
	}
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM data").Scan(&n); err != nil || n != 2 {
		t.Errorf("count = %d (%v)", n, err)
	}
	var tables int64
	db.QueryRow("SELECT count(*) FROM duckdb_tables()").Scan(&tables)
	if tables != 0 {
		t.Errorf("a never-used instance has %d tables", tables)
	}
	b.closeInstance(db)
	e.pool.mu.Lock()
	for _, r := range e.pool.ready {
		if any(r) == any(db) {
			t.Error("a used instance went back to the pool")
		}
	}
	e.pool.mu.Unlock()

	// Through Query: every query has an instance of its own, which is
	// replaced by a new one, never returned.
	e.pool.fill()
	waitPool(t, e, PooledInstances)
	before := e.pool.opened.Load()
	for range 4 {
		res := mustQuery(t, e, id, "SELECT current_setting('lock_configuration')::VARCHAR AS l")
		if v := res.Rows[0][0]; v != "true" {
			t.Fatalf("lock_configuration = %v", v)
		}
	}
	waitPool(t, e, PooledInstances)
	if n := e.pool.opened.Load() - before; n != 4 {
		t.Errorf("4 queries, %d instances opened", n)
	}
	if _, err := e.Query(context.Background(), id, "SELECT * FROM read_csv('/etc/passwd')"); err == nil {
		t.Error("a pooled instance read a file other than the session's")
	}
}

// TestPoolEmptyAndClosed: closing the engine closes the pooled instances, and an
// empty pool still serves (a query opens its own instance).
func TestPoolEmptyAndClosed(t *testing.T) {
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "p.csv", []byte("a\n1\n"))
	waitPool(t, e, PooledInstances)
	e.pool.mu.Lock()
	ready := e.pool.ready
	e.pool.ready = nil
	e.pool.mu.Unlock()
	for _, db := range ready {
		db.Close()
	}
	if res := mustQuery(t, e, id, "SELECT count(*) AS n FROM data"); res.Rows[0][0] != int64(1) {
		t.Fatalf("rows %v", res.Rows)
	}
	waitPool(t, e, PooledInstances) // refilled after the query
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e.pool.mu.Lock()
	defer e.pool.mu.Unlock()
	if len(e.pool.ready) != 0 || e.pool.filling != 0 {
		t.Errorf("after Close the pool holds %d (+%d opening)", len(e.pool.ready), e.pool.filling)
	}
}
