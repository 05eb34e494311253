package config

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
)

// Defaults of the resource limits (see the README's "Configuration").
const (
	// DefaultMemoryFraction is the share of the machine's memory the
	// process takes when ANALYZER_MEMORY_LIMIT is unset.
	DefaultMemoryFraction = 0.5
	// assumedMemory stands for the machine's memory where it cannot be
	// read (not Linux).
	assumedMemory         = 8 << 30
	minMemoryLimit        = 512 << 20
	DefaultMaxResultBytes = 8 << 20
	DefaultIngestTimeout  = 10 * time.Minute
	DefaultTurnTimeout    = 5 * time.Minute
)

// Resources bounds what the whole process may use, whoever asks.
type Resources struct {
	// MemoryLimit (ANALYZER_MEMORY_LIMIT) is the memory of the process:
	// DuckDB's instances share most of it, the rest is Go's.
	MemoryLimit int64
	// MemoryLimitSource says where MemoryLimit came from, for the log at
	// start: "ANALYZER_MEMORY_LIMIT", or the fraction of what was measured.
	MemoryLimitSource string
	MaxResultBytes    int64         // ANALYZER_MAX_RESULT_BYTES: bytes of one query result
	IngestTimeout     time.Duration // ANALYZER_INGEST_TIMEOUT: time to import one upload
	TurnTimeout       time.Duration // ANALYZER_TURN_TIMEOUT: time of one whole chat reply
}

func (r *Resources) load(get func(string, string) string) error {
	var err error
	if raw := get("ANALYZER_MEMORY_LIMIT", ""); raw != "" {
		if r.MemoryLimit, err = parseBytes("ANALYZER_MEMORY_LIMIT", raw); err != nil {
			return err
		}
		r.MemoryLimitSource = "ANALYZER_MEMORY_LIMIT"
	} else {
		total, from := machineMemory()
		r.MemoryLimit = max(int64(float64(total)*DefaultMemoryFraction), minMemoryLimit)
		r.MemoryLimitSource = fmt.Sprintf("%.0f%% of %s (%s)", DefaultMemoryFraction*100, humanize.IBytes(uint64(total)), from)
	}
	if r.MaxResultBytes, err = parseBytes("ANALYZER_MAX_RESULT_BYTES", get("ANALYZER_MAX_RESULT_BYTES", strconv.Itoa(DefaultMaxResultBytes))); err != nil {
		return err
	}
	if r.IngestTimeout, err = durationVar(get, "ANALYZER_INGEST_TIMEOUT", DefaultIngestTimeout); err != nil {
		return err
	}
	r.TurnTimeout, err = durationVar(get, "ANALYZER_TURN_TIMEOUT", DefaultTurnTimeout)
	return err
}

func (r *Resources) validate() error {
	switch {
	case r.MemoryLimit < minMemoryLimit:
		return fmt.Errorf("ANALYZER_MEMORY_LIMIT must be at least 512MB")
	case r.MaxResultBytes < 64<<10 || r.MaxResultBytes > 1<<30:
		return fmt.Errorf("ANALYZER_MAX_RESULT_BYTES must be between 64KB and 1GB")
	case r.IngestTimeout < 10*time.Second || r.IngestTimeout > 24*time.Hour:
		return fmt.Errorf("ANALYZER_INGEST_TIMEOUT must be between 10s and 24h")
	case r.TurnTimeout < 10*time.Second || r.TurnTimeout > 24*time.Hour:
		return fmt.Errorf("ANALYZER_TURN_TIMEOUT must be between 10s and 24h")
	}
	return nil
}

// parseBytes reads a size as a number of bytes or with a unit: 8388608,
// 8MB, 8MiB, 4 GB. MB and MiB are both taken as 1024² here, as DuckDB's
// memory_limit does, so that a budget reads the same in both places.
func parseBytes(key, raw string) (int64, error) {
	s := strings.TrimSpace(raw)
	upper := strings.ToUpper(s)
	for _, u := range []string{"KB", "MB", "GB", "TB"} {
		if strings.HasSuffix(upper, u) && !strings.HasSuffix(upper, "I"+u[:1]+"B") {
			s = s[:len(s)-2] + u[:1] + "iB"
			break
		}
	}
	n, err := humanize.ParseBytes(s)
	if err != nil || n > 1<<50 {
		return 0, fmt.Errorf("%s must be a size such as 4GB, 512MB or a number of bytes, got %q", key, raw)
	}
	return int64(n), nil
}

// machineMemory returns the memory this process may use at most: the
// machine's, or its cgroup's limit when lower (a container), and where the
// figure came from.
func machineMemory() (int64, string) {
	total := int64(0)
	from := "not measurable here: a fixed 8 GiB assumed"
	if n, ok := memTotal("/proc/meminfo"); ok {
		total, from = n, "the machine's memory"
	}
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err == nil && n > 0 && (total == 0 || n < total) {
			total, from = n, "the container's memory limit"
		}
		break
	}
	if total == 0 {
		total = assumedMemory
	}
	return total, from
}

// memTotal reads MemTotal from a /proc/meminfo-formatted file.
func memTotal(path string) (int64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			return kb << 10, err == nil && kb > 0
		}
	}
	return 0, false
}

// The memory limit is split once, here, between Go (the server's own heap:
// requests, sockets, results being encoded) and DuckDB (every instance
// together: queries, ingests, profiles).
const (
	minGoMemory = 256 << 20
	maxGoMemory = 2 << 30
)

// GoMemory is the Go heap's share of MemoryLimit: a quarter, between 256 MiB
// and 2 GiB. It becomes the runtime's soft memory limit.
func (r Resources) GoMemory() int64 {
	return min(max(r.MemoryLimit/4, minGoMemory), maxGoMemory, r.MemoryLimit/2)
}

// EngineMemory is what all DuckDB instances share: the rest.
func (r Resources) EngineMemory() int64 { return r.MemoryLimit - r.GoMemory() }
