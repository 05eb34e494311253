package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestResourceDefaults(t *testing.T) {
	c, err := Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	r := c.Resources
	total, _ := machineMemory()
	if want := max(int64(float64(total)*DefaultMemoryFraction), minMemoryLimit); r.MemoryLimit != want {
		t.Fatalf("memory limit %d, want %d (half of %d)", r.MemoryLimit, want, total)
	}
	if !strings.Contains(r.MemoryLimitSource, "50% of") {
		t.Fatalf("source %q should say how the default was chosen", r.MemoryLimitSource)
	}
	if r.MaxResultBytes != 8<<20 || r.IngestTimeout != 10*time.Minute || r.TurnTimeout != 5*time.Minute {
		t.Fatalf("resources %+v", r)
	}
}

func TestResourcesFromTheEnvironment(t *testing.T) {
	c, err := Load([]string{
		"ANALYZER_MEMORY_LIMIT=1.5GB",
		"ANALYZER_MAX_RESULT_BYTES=512KiB",
		"ANALYZER_INGEST_TIMEOUT=90s",
		"ANALYZER_TURN_TIMEOUT=2m",
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	r := c.Resources
	if r.MemoryLimit != 3<<29 || r.MemoryLimitSource != "ANALYZER_MEMORY_LIMIT" || r.MaxResultBytes != 512<<10 ||
		r.IngestTimeout != 90*time.Second || r.TurnTimeout != 2*time.Minute {
		t.Fatalf("resources %+v", r)
	}
}

func TestResourcesAreValidated(t *testing.T) {
	tests := []struct {
		env  string
		want string // part of the message; empty means valid
	}{
		{"ANALYZER_MEMORY_LIMIT=100MB", "ANALYZER_MEMORY_LIMIT must be at least 512MB"},
		{"ANALYZER_MEMORY_LIMIT=lots", "ANALYZER_MEMORY_LIMIT must be a size"},
		{"ANALYZER_MEMORY_LIMIT=2147483648", ""},
		{"ANALYZER_MEMORY_LIMIT=2 GB", ""},
		{"ANALYZER_MAX_RESULT_BYTES=1KB", "ANALYZER_MAX_RESULT_BYTES must be between"},
		{"ANALYZER_MAX_RESULT_BYTES=16MB", ""},
		{"ANALYZER_INGEST_TIMEOUT=1s", "ANALYZER_INGEST_TIMEOUT must be between"},
		{"ANALYZER_INGEST_TIMEOUT=soon", "ANALYZER_INGEST_TIMEOUT must be a duration"},
		{"ANALYZER_TURN_TIMEOUT=1ms", "ANALYZER_TURN_TIMEOUT must be between"},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) { checkValidation(t, tt.env, tt.want) })
	}
}

func TestParseBytesUnits(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"1024", 1024},
		{"8MB", 8 << 20},
		{"8MiB", 8 << 20},
		{"8mb", 8 << 20},
		{"4 GB", 4 << 30},
		{"64KB", 64 << 10},
		{"1.5GB", 3 << 29},
	}
	for _, tt := range tests {
		got, err := parseBytes("X", tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestMemTotalReadsMeminfo(t *testing.T) {
	p := filepath.Join(t.TempDir(), "meminfo")
	if err := os.WriteFile(p, []byte("MemFree:  100 kB\nMemTotal:       24576000 kB\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if n, ok := memTotal(p); !ok || n != 24576000<<10 {
		t.Fatalf("memTotal = %d, %v", n, ok)
	}
	if _, ok := memTotal(filepath.Join(t.TempDir(), "missing")); ok {
		t.Fatal("a missing file has no total")
	}
}

func TestMemorySplit(t *testing.T) {
	tests := []struct {
		limit, goShare int64
	}{
		{512 << 20, 256 << 20},
		{1 << 30, 256 << 20},
		{4 << 30, 1 << 30},
		{16 << 30, 2 << 30},
	}
	for _, tt := range tests {
		r := Resources{MemoryLimit: tt.limit}
		if r.GoMemory() != tt.goShare || r.EngineMemory() != tt.limit-tt.goShare {
			t.Errorf("limit %d: Go %d, engine %d; want Go %d", tt.limit, r.GoMemory(), r.EngineMemory(), tt.goShare)
		}
	}
}
