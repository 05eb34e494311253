package server

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

// testEnv is a real server over a temporary SQLite file and data directory.
type testEnv struct {
	t       *testing.T
	srv     *Server
	store   *storage.DB
	engine  *duck.Engine
	dataDir string
	secret  []byte
	now     time.Time
}

func withMaxUpload(n int64) envOption {
	return func(c *envConfig) { c.opts.MaxUploadSize = n }
}

func withoutRegistration() envOption {
	return func(c *envConfig) { c.opts.AllowRegistration = false }
}

func withQueryTimeout(d time.Duration) envOption {
	return func(c *envConfig) { c.duck.QueryTimeout = d }
}

// do sends a request through app.Test and returns the status and body.
func (e *testEnv) do(req *http.Request) (int, []byte) {
	e.t.Helper()
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

func (e *testEnv) doJSON(method, path, token string, body any) (int, []byte) {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.do(req)
}

// register creates an account and returns its token.
func (e *testEnv) register(email string) string {
	e.t.Helper()
	status, body := e.doJSON("POST", "/api/auth/register", "", map[string]string{"email": email, "password": "password123"})
	if status != http.StatusOK {
		e.t.Fatalf("register %s: %d %s", email, status, body)
	}
	var out struct{ Token string }
	_ = json.Unmarshal(body, &out)
	return out.Token
}

// uploadRequest builds a multipart upload of content under filename.
func uploadRequest(token, field, filename string, content []byte) *http.Request {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile(field, filename)
	fw.Write(content)
	mw.Close()
	req := httptest.NewRequest("POST", "/api/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

type uploadResult struct {
	SessionID string `json:"session_id"`
	File      struct {
		Filename    string           `json:"filename"`
		RowCount    int64            `json:"row_count"`
		ColumnCount int              `json:"column_count"`
		Columns     []string         `json:"columns"`
		ColumnTypes []string         `json:"column_types"`
		Preview     []map[string]any `json:"preview"`
	} `json:"file"`
}

// upload uploads a CSV and returns the session id.
func (e *testEnv) upload(token, filename, content string) uploadResult {
	e.t.Helper()
	status, body := e.do(uploadRequest(token, "file", filename, []byte(content)))
	if status != http.StatusOK {
		e.t.Fatalf("upload: %d %s", status, body)
	}
	var out uploadResult
	if err := json.Unmarshal(body, &out); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// leftovers lists what is in the data directory besides the key file and
// the (empty) uploads directory.
func (e *testEnv) leftovers() []string {
	var found []string
	filepath.Walk(e.dataDir, func(path string, info os.FileInfo, err error) error {
		if err != nil || path == e.dataDir || path == filepath.Join(e.dataDir, ".uploads") {
			return nil
		}
		rel, _ := filepath.Rel(e.dataDir, path)
		found = append(found, rel)
		return nil
	})
	return found
}

func detail(body []byte) string {
	var out struct{ Detail string }
	_ = json.Unmarshal(body, &out)
	return out.Detail
}

const peopleCSV = "name,age,city\nAlice,30,Paris\nBob,25,Berlin\nCarol,35,Paris\n"
