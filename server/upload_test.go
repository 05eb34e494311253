package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestUploadAnswersAsTheContractSays(t *testing.T) {
	env := newTestEnv(t)
	token := env.register("alice@example.com")
	status, body := env.do(uploadRequest(token, "file", "people.csv", []byte(peopleCSV)))
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	var raw map[string]json.RawMessage
	json.Unmarshal(body, &raw)
	var file map[string]json.RawMessage
	json.Unmarshal(raw["file"], &file)
	for _, key := range []string{"filename", "row_count", "column_count", "columns", "preview"} {
		if _, ok := file[key]; !ok {
			t.Errorf("file has no %q: %s", key, body)
		}
	}
	var out uploadResult
	json.Unmarshal(body, &out)
	if out.SessionID == "" || out.File.Filename != "people.csv" || out.File.RowCount != 3 || out.File.ColumnCount != 3 {
		t.Fatalf("unexpected answer %s", body)
	}
	if !reflect.DeepEqual(out.File.Columns, []string{"name", "age", "city"}) {
		t.Fatalf("columns %v", out.File.Columns)
	}
	if len(out.File.Preview) != 3 || out.File.Preview[0]["name"] != "Alice" || out.File.Preview[0]["age"] != float64(30) {
		t.Fatalf("preview %v", out.File.Preview)
	}
	// The preview's objects keep the file's column order.
	if !strings.Contains(string(body), `{"name":"Alice","age":30,"city":"Paris"}`) {
		t.Fatalf("preview keys out of order: %s", body)
	}
	if _, err := os.Stat(filepath.Join(env.dataDir, out.SessionID, "original.csv")); err != nil {
		t.Fatalf("original not kept: %v", err)
	}
}

func TestUploadRefusesBadInputAndLeavesNothing(t *testing.T) {
	env := newTestEnv(t, withMaxUpload(64<<10))
	token := env.register("alice@example.com")

	notMultipart := httptest.NewRequest("POST", "/api/upload", strings.NewReader(peopleCSV))
	notMultipart.Header.Set("Content-Type", "text/csv")
	notMultipart.Header.Set("Authorization", "Bearer "+token)

	tests := []struct {
		name   string
		req    *http.Request
		status int
		detail string
	}{
		{"no token", uploadRequest("", "file", "a.csv", []byte(peopleCSV)), 401, "not authenticated"},
		{"not multipart", notMultipart, 400, "expected a multipart/form-data body with a file field"},
		{"wrong field", uploadRequest(token, "document", "a.csv", []byte(peopleCSV)), 400, "the form has no file field"},
		{"wrong extension", uploadRequest(token, "file", "a.xlsx", []byte(peopleCSV)), 400, "only .csv, .parquet and .pq files are accepted"},
		{"no extension", uploadRequest(token, "file", "csv", []byte(peopleCSV)), 400, "only .csv, .parquet and .pq files are accepted"},
		{"empty file", uploadRequest(token, "file", "a.csv", nil), 400, "the file is empty"},
		{"too large", uploadRequest(token, "file", "a.csv", bytes.Repeat([]byte("a,b\n1,2\n"), 20<<10)), 413, "the file is larger than the 64 KB limit"},
		{"binary junk", uploadRequest(token, "file", "a.csv", []byte("\x00\x01\x02\x03\xff\xfe\x00junk\x00")), 400, ""},
		{"parquet that is not", uploadRequest(token, "file", "a.parquet", []byte(peopleCSV)), 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := env.do(tt.req)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			d := detail(body)
			if tt.detail != "" && d != tt.detail {
				t.Fatalf("detail %q, want %q", d, tt.detail)
			}
			if d == "" || strings.Contains(d, env.dataDir) || strings.Contains(d, "/tmp") {
				t.Fatalf("detail %q is empty or leaks a path", d)
			}
			if left := env.leftovers(); len(left) != 0 {
				t.Fatalf("left behind: %v", left)
			}
		})
	}
	sessions, _ := env.store.SessionIDs(t.Context())
	if len(sessions) != 0 {
		t.Fatalf("failed uploads created sessions: %v", sessions)
	}
}

func TestUploadKeepsOnlyTheBaseName(t *testing.T) {
	env := newTestEnv(t)
	token := env.register("alice@example.com")
	tests := []struct{ sent, kept string }{
		{"../../etc/passwd.csv", "passwd.csv"},
		{`C:\Users\me\Données 2024.CSV`, "Données 2024.CSV"},
		{"naïve\tname.csv", "naïvename.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.kept, func(t *testing.T) {
			out := env.upload(token, tt.sent, peopleCSV)
			if out.File.Filename != tt.kept {
				t.Fatalf("filename %q, want %q", out.File.Filename, tt.kept)
			}
		})
	}
}
