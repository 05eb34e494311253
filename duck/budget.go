package duck

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/analyzerhq/analyzer/apperr"
)

// budget shares Config.MemoryBudget among the DuckDB instances that run
// work: each query instance holds a query share while its statement runs
// (until the instance is closed), each ingest an ingest share until its
// instance (reused by the profile that follows) is closed. The share is
// also the instance's memory_limit, so the sum of DuckDB's limits never
// passes the budget.
//
// Queries wait in the semaphore's FIFO queue for at most BudgetWait.
// Ingests do not queue there (a 2 GB ingest at the head of the queue would
// hold every query behind it for minutes): they poll with TryAcquire, which
// also gives way to waiting queries, and ingests together never hold more
// than the budget minus one query share, so a query can always run.
type budget struct {
	sem       *semaphore.Weighted
	ingestCap *semaphore.Weighted // what ingests may hold together
	total     int64
	query     int64 // one query instance's share
	ingest    int64 // one ingest instance's share
	profile   int64 // the memory_limit of a profile, within the ingest share
	wait      time.Duration

	mu     sync.Mutex
	owners map[string]chan struct{} // per-owner ingest slot
}

// minShare is the smallest memory_limit an instance is given: below it
// DuckDB cannot even read a Parquet footer of a wide file.
const minShare = 64 << 20

// ingestPoll is how often a waiting ingest retries for its share.
const ingestPoll = 50 * time.Millisecond

func newBudget(cfg Config) (*budget, error) {
	qlim, err := parseBytes(cfg.QueryMemoryLimit)
	if err != nil {
		return nil, fmt.Errorf("duck: QueryMemoryLimit: %w", err)
	}
	ilim, err := parseBytes(cfg.MemoryLimit)
	if err != nil {
		return nil, fmt.Errorf("duck: MemoryLimit: %w", err)
	}
	plim, err := parseBytes(cfg.ProfileMemoryLimit)
	if err != nil {
		return nil, fmt.Errorf("duck: ProfileMemoryLimit: %w", err)
	}
	total := cfg.MemoryBudget
	share := func(limit, part int64) int64 {
		s := min(limit, total/part)
		s = max(s, min(minShare, total))
		return min(s, total)
	}
	b := &budget{
		total:  total,
		query:  share(qlim, 4),
		ingest: share(ilim, 2),
		wait:   cfg.BudgetWait,
		owners: map[string]chan struct{}{},
	}
	b.profile = min(max(plim, min(minShare, b.ingest)), b.ingest)
	b.sem = semaphore.NewWeighted(total)
	b.ingestCap = semaphore.NewWeighted(max(b.ingest, total-b.query))
	return b, nil
}

// errBusy is the answer when the budget has no room within the wait.
func errBusy(what string) error {
	e := apperr.New(apperr.Unavailable, "the server is busy with other "+what+"; try again in a moment")
	e.RetryAfter = 5 * time.Second
	return e
}

// acquireQuery takes a query share, waiting at most BudgetWait. The
// returned release must be called exactly once.
func (b *budget) acquireQuery(ctx context.Context) (func(), error) {
	wctx, cancel := context.WithTimeout(ctx, b.wait)
	defer cancel()
	if err := b.sem.Acquire(wctx, b.query); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errBusy("queries")
	}
	return onceFunc(func() { b.sem.Release(b.query) }), nil
}

// acquireIngest takes an ingest share, polling until ctx ends.
func (b *budget) acquireIngest(ctx context.Context) (func(), error) {
	t := time.NewTicker(ingestPoll)
	defer t.Stop()
	for {
		if b.ingestCap.TryAcquire(b.ingest) {
			if b.sem.TryAcquire(b.ingest) {
				return onceFunc(func() {
					b.sem.Release(b.ingest)
					b.ingestCap.Release(b.ingest)
				}), nil
			}
			b.ingestCap.Release(b.ingest)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// acquireOwner admits one ingest per owner at a time; others of the same
// owner wait for it (or for ctx). An empty owner is not limited.
func (b *budget) acquireOwner(ctx context.Context, owner string) (func(), error) {
	if owner == "" {
		return func() {}, nil
	}
	for {
		b.mu.Lock()
		ch, busy := b.owners[owner]
		if !busy {
			ch = make(chan struct{})
			b.owners[owner] = ch
			b.mu.Unlock()
			return onceFunc(func() {
				b.mu.Lock()
				delete(b.owners, owner)
				b.mu.Unlock()
				close(ch)
			}), nil
		}
		b.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func onceFunc(f func()) func() { return sync.OnceFunc(f) }

// MemoryShares returns what one query instance and one ingest instance
// may use (their memory_limit, in bytes), and MemoryBudget the total all
// instances share.
func (e *Engine) MemoryShares() (query, ingest int64) { return e.budget.query, e.budget.ingest }

// MemoryBudget returns the bytes all DuckDB instances may use together.
func (e *Engine) MemoryBudget() int64 { return e.budget.total }

// DefaultMemoryBudget is the budget used when Config.MemoryBudget is 0:
// half of the memory available to the process (the cgroup limit if one is
// set, else the machine's), or 2 GiB when neither can be read.
func DefaultMemoryBudget() int64 {
	total := systemMemory()
	if total <= 0 {
		return 2 << 30
	}
	return total / 2
}

// systemMemory reads the cgroup v2 limit or /proc/meminfo; 0 if unknown.
func systemMemory() int64 {
	var mem int64
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 2 && fields[0] == "MemTotal:" {
				if kb, err := strconv.ParseInt(fields[1], 10, 64); err == nil {
					mem = kb << 10
				}
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && (mem == 0 || n < mem) {
			mem = n
		}
	}
	return mem
}

// parseBytes reads a DuckDB memory size ("512MB", "1GiB", "300 KB", "123"
// bytes). As in DuckDB, KB/MB/GB/TB are powers of 1000 and KiB/MiB/GiB/TiB
// powers of 1024.
func parseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("invalid memory size %q", s)
	}
	mult := map[string]float64{
		"": 1, "b": 1, "byte": 1, "bytes": 1,
		"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
	}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("invalid memory size %q", s)
	}
	return int64(f * mult), nil
}

// memoryLimit is a byte count as DuckDB's memory_limit setting reads it.
func memoryLimit(n int64) string { return strconv.FormatInt(n/1024, 10) + "KiB" }
