// Package filestore keeps every session's files where every instance of
// the server finds them: the upload as it came, its typed Parquet copy and
// the data engine's small sidecar files (preview, profile).
//
// The data engine (duck) always works in a local folder, one directory per
// session. With the default store that folder is the store (Local: nothing
// to copy). With an S3-compatible store (S3) the folder is each
// instance's cache: Save copies a session's directory to the bucket after
// a change, Fetch brings it back (and keeps it current against the
// objects' ETags) before the engine reads it, and the least recently used
// sessions leave the cache when it passes its size.
package filestore

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Store is where sessions' files are kept. Session ids are checked by the
// caller (the engine accepts only canonical UUIDs).
type Store interface {
	// Kind names the store for /api/health: "local" or "s3".
	Kind() string
	// Save copies the session's local directory to the store, replacing
	// what the store held for it. Call it after every change of the
	// directory that must outlive this instance.
	Save(ctx context.Context, sessionID string) error
	// Fetch makes the session's local directory current: present, and
	// holding what the store holds. A session the store does not hold is
	// not an error (the engine then reports that it has no data).
	Fetch(ctx context.Context, sessionID string) error
	// Refresh is Fetch without trusting a recent fetch: for a caller that
	// knows the store holds files this instance has not seen.
	Refresh(ctx context.Context, sessionID string) error
	// Remove deletes what the store holds for the session; the local
	// directory is the engine's to remove. Removing an absent session is
	// not an error.
	Remove(ctx context.Context, sessionID string) error
	// Sessions lists the sessions the store holds files of.
	Sessions(ctx context.Context) ([]Stored, error)
	// Ping checks that the store answers.
	Ping(ctx context.Context) error
}

// Stored is a session the store holds files of.
type Stored struct {
	ID       string
	Modified time.Time // the last change of any of its files
}

// Location is a parsed STORAGE_URL.
type Location struct {
	Bucket string
	Prefix string // without leading or trailing slash; may be empty
}

// ParseURL reads STORAGE_URL: empty (the data folder) or
// s3://bucket[/prefix].
func ParseURL(raw string) (loc Location, s3 bool, err error) {
	if raw == "" {
		return Location{}, false, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.RawQuery != "" || u.User != nil {
		return Location{}, false, fmt.Errorf("STORAGE_URL %q: use s3://bucket or s3://bucket/prefix (endpoint, region and keys come from the AWS_* variables)", raw)
	}
	return Location{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/")}, true, nil
}
