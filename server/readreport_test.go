package server

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestUploadSaysHowTheFileWasRead: the upload's answer and the session's
// file (after a reload) both say which encoding the CSV was read as, and
// which lines were left out and why.
func TestUploadSaysHowTheFileWasRead(t *testing.T) {
	env := newTestEnv(t)
	token := env.register("alice@example.com")
	// A Windows-1252 bank list (0x96 is an en dash) under a notes line.
	csv := "Exported from the bank on 2024-05-01\nBank Name,City,Closing Date\nFirst Bank \x96 Main,Springfield,2024-01-05\nCaf\xe9 Savings,Shelbyville,2024-02-09\n"
	status, body := env.do(uploadRequest(token, "file", "banks.csv", []byte(csv)))
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	type report struct {
		RowCount     int64    `json:"row_count"`
		Columns      []string `json:"columns"`
		Encoding     string   `json:"encoding"`
		SkippedLines int64    `json:"skipped_lines"`
		Skipped      []struct {
			Kind   string `json:"kind"`
			Reason string `json:"reason"`
		} `json:"skipped"`
		Notes   []string         `json:"notes"`
		Preview []map[string]any `json:"preview"`
	}
	var up struct {
		SessionID string `json:"session_id"`
		File      report `json:"file"`
	}
	if err := json.Unmarshal(body, &up); err != nil {
		t.Fatal(err)
	}
	check := func(where string, f report) {
		t.Helper()
		if f.Encoding != "windows-1252" || f.SkippedLines != 1 || len(f.Skipped) != 1 || f.Skipped[0].Kind != "preamble" || f.Skipped[0].Reason == "" {
			t.Fatalf("%s: %+v", where, f)
		}
		if f.RowCount != 2 || len(f.Columns) != 3 || f.Columns[0] != "Bank Name" {
			t.Fatalf("%s: the preamble was read as the header: %+v", where, f)
		}
		if !strings.Contains(strings.ToLower(strings.Join(f.Notes, "; ")), "windows-1252") {
			t.Fatalf("%s: notes %q do not say the encoding", where, f.Notes)
		}
	}
	check("upload", up.File)
	if first := up.File.Preview[0]["Bank Name"]; first != "First Bank – Main" {
		t.Fatalf("the en dash was not decoded: %q", first)
	}
	status, body = env.doJSON("GET", "/api/sessions/"+up.SessionID, token, nil)
	var detail struct {
		File report `json:"file"`
	}
	if status != 200 || json.Unmarshal(body, &detail) != nil {
		t.Fatalf("detail: %d %s", status, body)
	}
	check("detail", detail.File)
}
