package main

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// buildBinary compiles the program for the tests that run it as a
// process (crash_test.go, abuse_test.go).
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "analyzer")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
