package filestore

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/filestore/s3test"
)

func TestMain(m *testing.M) { os.Exit(s3test.Main(m)) }

// instance is one server's view of the store: its own cache folder.
func instance(t *testing.T, srv *s3test.Server, bucket string, maxBytes int64) *S3 {
	t.Helper()
	s, err := NewS3(context.Background(), S3Options{Location: Location{Bucket: bucket, Prefix: "data"},
		Dir: t.TempDir(), MaxBytes: maxBytes, Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func writeSession(t *testing.T, s *S3, files map[string][]byte) string {
	t.Helper()
	id := uuid.NewString()
	dir := filepath.Join(s.dir, id)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o750)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o640); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func TestS3Store(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.Bucket(t)
	ctx := context.Background()
	a := instance(t, srv, bucket, 0)
	b := instance(t, srv, bucket, 0)

	// Over two multipart parts: the upload streams in parts.
	parquet := randomBytes(partSize*2 + 12345)
	id := writeSession(t, a, map[string][]byte{"original.csv": []byte("a,b\n1,2\n"), "data.parquet": parquet,
		"preview.json": []byte(`{"rows":[]}`), "data.parquet.tmp": []byte("half"), "tmp/spill_0.tmp": []byte("spill"),
		"v/0190a6f4-7b1e-7c1a-9d3e-1b2c3d4e5f60/data.parquet": []byte("version"),
		"v/0190a6f4-7b1e-7c1a-9d3e-1b2c3d4e5f60/original.csv": []byte("x\n1\n")})
	if err := a.Save(ctx, id); err != nil {
		t.Fatal(err)
	}

	t.Run("another instance fetches what a query needs, not the original", func(t *testing.T) {
		if err := b.Fetch(ctx, id); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(b.dir, id, "data.parquet"))
		if err != nil || !bytes.Equal(got, parquet) {
			t.Fatalf("data.parquet fetched %d bytes (err %v), want the %d saved", len(got), err, len(parquet))
		}
		if _, err := os.Stat(filepath.Join(b.dir, id, "preview.json")); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(b.dir, id, "original.csv")); !os.IsNotExist(err) {
			t.Fatalf("the original was cached: %v", err)
		}
		if _, err := os.Stat(filepath.Join(b.dir, id, "data.parquet.tmp")); !os.IsNotExist(err) {
			t.Fatalf("a temporary file was stored: %v", err)
		}
		if _, err := os.Stat(filepath.Join(b.dir, id, "tmp")); !os.IsNotExist(err) {
			t.Fatalf("the spill directory was stored: %v", err)
		}
		if got, err := os.ReadFile(filepath.Join(b.dir, id, "v", "0190a6f4-7b1e-7c1a-9d3e-1b2c3d4e5f60", "data.parquet")); err != nil || string(got) != "version" {
			t.Fatalf("a version's Parquet copy: %q %v", got, err)
		}
		if _, err := os.Stat(filepath.Join(b.dir, id, "v", "0190a6f4-7b1e-7c1a-9d3e-1b2c3d4e5f60", "original.csv")); !os.IsNotExist(err) {
			t.Fatalf("a version's original was cached: %v", err)
		}
	})
	t.Run("a changed file is fetched again by its ETag", func(t *testing.T) {
		next := randomBytes(1000)
		p := filepath.Join(a.dir, id, "data.parquet")
		os.Chmod(p, 0o640)
		if err := os.WriteFile(p, next, 0o640); err != nil {
			t.Fatal(err)
		}
		if err := a.Save(ctx, id); err != nil {
			t.Fatal(err)
		}
		b.recheck = 0
		if err := b.Fetch(ctx, id); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(filepath.Join(b.dir, id, "data.parquet"))
		if !bytes.Equal(got, next) {
			t.Fatalf("the cache kept the old file: %d bytes", len(got))
		}
	})
	t.Run("sessions lists what the store holds", func(t *testing.T) {
		list, err := b.Sessions(ctx)
		if err != nil || !slices.ContainsFunc(list, func(s Stored) bool { return s.ID == id && time.Since(s.Modified) < time.Hour }) {
			t.Fatalf("sessions %v, err %v", list, err)
		}
	})
	t.Run("remove deletes every stored file", func(t *testing.T) {
		if err := a.Remove(ctx, id); err != nil {
			t.Fatal(err)
		}
		left, err := a.list(ctx, id)
		if err != nil || len(left) != 0 {
			t.Fatalf("left %v, err %v", left, err)
		}
		if list, _ := b.Sessions(ctx); slices.ContainsFunc(list, func(s Stored) bool { return s.ID == id }) {
			t.Fatal("a removed session is still listed")
		}
	})
	t.Run("ping", func(t *testing.T) {
		if err := a.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		missing, _ := NewS3(ctx, S3Options{Location: Location{Bucket: "no-such-bucket-here"}, Dir: t.TempDir(), Client: srv.Client()})
		if err := missing.Ping(ctx); err == nil {
			t.Fatal("a missing bucket answered")
		}
	})
}

func TestS3CacheIsBoundedLeastRecentlyUsedFirst(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.Bucket(t)
	ctx := context.Background()
	a := instance(t, srv, bucket, 0)
	const size = 100 << 10
	var ids []string
	for range 3 {
		id := writeSession(t, a, map[string][]byte{"data.parquet": randomBytes(size)})
		if err := a.Save(ctx, id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	// Room for two sessions (and their ETag files).
	b := instance(t, srv, bucket, 2*size+4096)
	cached := func(id string) bool {
		_, err := os.Stat(filepath.Join(b.dir, id, "data.parquet"))
		return err == nil
	}
	for _, id := range ids[:2] {
		if err := b.Fetch(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	b.recheck = 0
	if err := b.Fetch(ctx, ids[0]); err != nil { // used again: ids[1] is now the oldest
		t.Fatal(err)
	}
	if err := b.Fetch(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	if !cached(ids[0]) || cached(ids[1]) || !cached(ids[2]) {
		t.Fatalf("cached: %v %v %v; want the least recently used one out", cached(ids[0]), cached(ids[1]), cached(ids[2]))
	}
	if n := b.CachedBytes(); n > 2*size+4096 {
		t.Fatalf("cache holds %d bytes, over its bound", n)
	}
	if err := b.Fetch(ctx, ids[1]); err != nil || !cached(ids[1]) {
		t.Fatalf("an evicted session does not come back: %v", err)
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		raw    string
		want   Location
		s3, ok bool
	}{
		{"", Location{}, false, true},
		{"s3://bucket", Location{Bucket: "bucket"}, true, true},
		{"s3://bucket/a/b/", Location{Bucket: "bucket", Prefix: "a/b"}, true, true},
		{"http://bucket", Location{}, false, false},
		{"s3://", Location{}, false, false},
		{"s3://key:secret@bucket", Location{}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, s3, err := ParseURL(tt.raw)
			if (err == nil) != tt.ok || got != tt.want || s3 != tt.s3 {
				t.Fatalf("ParseURL(%q) = %+v, %v, %v", tt.raw, got, s3, err)
			}
		})
	}
}
