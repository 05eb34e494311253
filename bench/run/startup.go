package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

// makeSessions builds, in dir, a data directory and metadata database with
// n sessions of one user, each with a small ingested CSV (its data,
// profile, value index and preview) and msgs stored messages, without the
// server: what a server that has been used for a while starts on.
func makeSessions(ctx context.Context, dir string, n, msgs int) error {
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o750); err != nil {
		return err
	}
	e, err := duck.New(duck.Config{DataDir: data}, nil)
	if err != nil {
		return err
	}
	src := filepath.Join(dir, "small.csv")
	var b strings.Builder
	b.WriteString("id,name,amount,day\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "%d,name %d,%d.5,2024-01-%02d\n", i, i%37, i, 1+i%28)
	}
	if err := os.WriteFile(src, []byte(b.String()), 0o600); err != nil {
		e.Close()
		return err
	}
	tmpl := storage.NewSessionID()
	ds, err := e.Ingest(ctx, tmpl, src, "small.csv")
	if err == nil {
		_, err = e.Profile(ctx, tmpl)
	}
	e.Close()
	if err != nil {
		return err
	}
	files, err := os.ReadDir(filepath.Join(data, tmpl))
	if err != nil {
		return err
	}
	db, err := storage.Open(ctx, filepath.Join(dir, "meta.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	u, err := db.CreateUser(ctx, "startup@example.com", "startup-password")
	if err != nil {
		return err
	}
	names := make([]string, len(ds.Columns))
	types := make([]string, len(ds.Columns))
	for i, c := range ds.Columns {
		names[i], types[i] = c.Name, c.Type
	}
	text := strings.Repeat("The average amount is 499.5 over 1,000 rows; name 3 leads. ", 30)
	for range n {
		id := storage.NewSessionID()
		sdir := filepath.Join(data, id)
		if err := os.Mkdir(sdir, 0o750); err != nil {
			return err
		}
		for _, f := range files {
			if f.IsDir() {
				continue
			}
			raw, err := os.ReadFile(filepath.Join(data, tmpl, f.Name()))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(sdir, f.Name()), raw, 0o640); err != nil {
				return err
			}
		}
		sess := &storage.Session{ID: id, UserID: u.ID, Title: "small.csv"}
		file := &storage.File{
			Filename: "small.csv", PathOnDisk: filepath.Join(sdir, "original.csv"), RowCount: ds.RowCount,
			ColCount: len(names), Columns: storage.MustJSON(names), ColumnTypes: storage.MustJSON(types),
			Format: ds.Format, SizeBytes: ds.SizeBytes,
		}
		if err := db.CreateSession(ctx, sess, file); err != nil {
			return err
		}
		for m := range msgs {
			role := "user"
			if m%2 == 1 {
				role = "assistant"
			}
			if err := db.AddMessage(ctx, &storage.Message{ID: storage.NewSessionID(), SessionID: id, Role: role, Text: text, Type: "text"}); err != nil {
				return err
			}
		}
	}
	return os.RemoveAll(filepath.Join(data, tmpl))
}

// timeStartup starts bin serve on dir (made by makeSessions) and returns
// the time from the start of the process to its first 200 on /api/health
// (polled every 2 ms), then stops it.
func timeStartup(ctx context.Context, bin, dir string) (time.Duration, error) {
	addr, err := freePort()
	if err != nil {
		return 0, err
	}
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", addr, "--data-dir", filepath.Join(dir, "data"))
	cmd.Dir = dir
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"DATABASE_URL=sqlite:///" + filepath.Join(dir, "meta.db"),
		"SECRET_KEY=benchmark-secret-key-0123456789abcdef",
		"ANALYZER_PROVIDER=builtin",
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	client := &http.Client{Timeout: time.Second}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}()
	for {
		resp, err := client.Get("http://" + addr + "/api/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return time.Since(t0), nil
			}
		}
		select {
		case <-exited:
			return 0, errors.New("the server exited at start")
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
		if time.Since(t0) > time.Minute {
			return 0, errors.New("no answer from /api/health within a minute")
		}
	}
}
