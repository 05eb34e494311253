package config

import (
	"fmt"

	"github.com/analyzerhq/analyzer/filestore"
)

// Files says where sessions' files are kept: the data folder (the
// default) or an S3-compatible bucket, of which each instance keeps a
// bounded local cache.
type Files struct {
	StorageURL    string             // STORAGE_URL: empty, or s3://bucket[/prefix]
	S3            bool               // StorageURL names a bucket
	Location      filestore.Location // the bucket and prefix
	CacheDir      string             // CACHE_DIR: the cache's folder; empty = DATA_DIR
	CacheMaxBytes int64              // CACHE_MAX_BYTES
}

func filesFrom(get func(string, string) string) (Files, error) {
	f := Files{StorageURL: get("STORAGE_URL", ""), CacheDir: get("CACHE_DIR", "")}
	var err error
	if f.Location, f.S3, err = filestore.ParseURL(f.StorageURL); err != nil {
		return f, err
	}
	if f.CacheMaxBytes, err = int64Var(get, "CACHE_MAX_BYTES", filestore.DefaultCacheBytes); err != nil {
		return f, err
	}
	if f.CacheMaxBytes < 1<<20 {
		return f, fmt.Errorf("CACHE_MAX_BYTES must be at least 1048576 (1 MiB)")
	}
	return f, nil
}

// EngineDir is the folder the data engine works in: with a bucket, the
// cache (CACHE_DIR, or DATA_DIR when unset); otherwise DATA_DIR, which is
// then the store itself.
func (c *Config) EngineDir() string {
	if c.Files.S3 && c.Files.CacheDir != "" {
		return c.Files.CacheDir
	}
	return c.DataDir
}
