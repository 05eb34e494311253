package filestore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// S3Options configures an S3 store.
type S3Options struct {
	Location Location
	// Dir is the engine's folder, which is this instance's cache.
	Dir string
	// MaxBytes bounds the cache (CACHE_MAX_BYTES); the least recently
	// used sessions leave it first. 0 takes DefaultCacheBytes.
	MaxBytes int64
	// Client talks to the store; nil builds one from the AWS_* variables
	// (NewClient).
	Client *s3.Client
	Log    *slog.Logger
}

// DefaultCacheBytes is the default bound of an instance's local cache.
const DefaultCacheBytes int64 = 20 << 30

const (
	// partSize is the size of each part of a multipart upload: a file
	// streams from disk with at most partSize × uploadConcurrency bytes in
	// memory, whatever its size.
	partSize          = 16 << 20
	uploadConcurrency = 2
	// checkEvery is how long a fetched session is trusted before its
	// ETags are compared again.
	checkEvery = 2 * time.Second
	// etagsFile, in a cached session's directory, is the ETag of every
	// file as fetched or saved.
	etagsFile = ".etags.json"
)

// S3 keeps sessions' files in an S3-compatible bucket, with a bounded
// local cache (see the package comment).
type S3 struct {
	client   *s3.Client
	uploader *manager.Uploader
	loc      Location
	dir      string
	max      int64
	log      *slog.Logger
	recheck  time.Duration // checkEvery; tests shorten it

	mu      sync.Mutex
	entries map[string]*cacheEntry // by session id
	locks   map[string]*sync.Mutex // one Fetch or Save per session at a time
}

type cacheEntry struct {
	size    int64
	used    time.Time
	checked time.Time // the ETags were last compared
}

// NewClient builds an S3 client from the usual AWS variables
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, and
// AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL for a self-hosted server). A
// custom endpoint gets path-style addressing (bucket in the path), which
// self-hosted servers expect; AWS itself gets virtual-hosted style.
func NewClient(ctx context.Context) (*s3.Client, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx,
		// Checksums only where the API requires them: several
		// S3-compatible servers do not understand the streaming
		// checksums the SDK would add to every upload.
		awsconfig.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
		awsconfig.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired))
	if err != nil {
		return nil, fmt.Errorf("object store configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	custom := os.Getenv("AWS_ENDPOINT_URL_S3") != "" || os.Getenv("AWS_ENDPOINT_URL") != ""
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = custom }), nil
}

// NewS3 opens the store and takes over the sessions already cached in
// opts.Dir.
func NewS3(ctx context.Context, opts S3Options) (*S3, error) {
	if opts.Client == nil {
		c, err := NewClient(ctx)
		if err != nil {
			return nil, err
		}
		opts.Client = c
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultCacheBytes
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	s := &S3{
		client: opts.Client,
		uploader: manager.NewUploader(opts.Client, func(u *manager.Uploader) {
			u.PartSize = partSize
			u.Concurrency = uploadConcurrency
		}),
		loc: opts.Location, dir: opts.Dir, max: opts.MaxBytes, log: opts.Log, recheck: checkEvery,
		entries: map[string]*cacheEntry{}, locks: map[string]*sync.Mutex{},
	}
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		return nil, fmt.Errorf("cache folder: %w", err)
	}
	// Sessions cached before a restart stay, oldest use first out.
	cached, _ := Local{Dir: s.dir}.Sessions(ctx)
	for _, c := range cached {
		id := c.ID
		st, err := os.Stat(filepath.Join(s.dir, id, etagsFile))
		if err != nil {
			continue
		}
		s.entries[id] = &cacheEntry{size: dirSize(filepath.Join(s.dir, id)), used: st.ModTime()}
	}
	return s, nil
}

// Kind implements Store.
func (s *S3) Kind() string { return "s3" }

func (s *S3) key(sessionID, name string) string {
	return path.Join(s.loc.Prefix, sessionID, name)
}

func (s *S3) sessionPrefix(sessionID string) string {
	if s.loc.Prefix == "" {
		return sessionID + "/"
	}
	return s.loc.Prefix + "/" + sessionID + "/"
}

// lock serialises Fetch, Save and Remove of one session.
func (s *S3) lock(sessionID string) func() {
	s.mu.Lock()
	l := s.locks[sessionID]
	if l == nil {
		l = &sync.Mutex{}
		s.locks[sessionID] = l
	}
	s.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// Save implements Store: every file of the session's directory is
// uploaded (multipart, streamed from disk), then the objects the
// directory no longer has are deleted.
func (s *S3) Save(ctx context.Context, sessionID string) error {
	if !isSessionID(sessionID) {
		return errors.New("filestore: invalid session id")
	}
	defer s.lock(sessionID)()
	dir := filepath.Join(s.dir, sessionID)
	names, err := storedFiles(dir)
	if err != nil {
		return fmt.Errorf("save session files: %w", err)
	}
	have := readETags(dir)
	stored, err := s.list(ctx, sessionID)
	if err != nil {
		return err
	}
	etags := map[string]string{}
	for _, name := range names {
		// A dataset's original and Parquet copy are written once and
		// never changed: saved before (its ETag recorded, same size),
		// it is not sent again, so that a new version of a session
		// uploads only its own. The small files beside them may be
		// rewritten and are always sent.
		if o, ok := stored[name]; ok && immutable(name) && have[name] == aws.ToString(o.ETag) {
			if st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); err == nil && st.Size() == aws.ToInt64(o.Size) {
				etags[name] = have[name]
				continue
			}
		}
		etag, err := s.put(ctx, s.key(sessionID, name), filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return fmt.Errorf("save %s: %w", name, err)
		}
		etags[name] = etag
	}
	var stale []string
	for name := range stored {
		if _, ok := etags[name]; !ok {
			stale = append(stale, s.key(sessionID, name))
		}
	}
	if err := s.deleteKeys(ctx, stale); err != nil {
		return err
	}
	if err := writeETags(dir, etags); err != nil {
		return err
	}
	s.touch(sessionID, dirSize(dir), true)
	s.evict(sessionID)
	return nil
}

func (s *S3) put(ctx context.Context, key, file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	out, err := s.uploader.Upload(ctx, &s3.PutObjectInput{Bucket: &s.loc.Bucket, Key: &key, Body: f})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.ETag), nil
}

// storedName tells the files kept in the store (by their path relative
// to the session's directory, with slashes) from the engine's temporary
// ones (*.tmp, its spill directory tmp/) and the cache's own (dot files).
func storedName(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if part == "tmp" || strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".tmp") {
			return false
		}
	}
	return true
}

// cachedName tells the files a query needs locally: all but the original
// uploads, which stay in the store.
func cachedName(name string) bool {
	return storedName(name) && !strings.HasPrefix(path.Base(name), "original.")
}

// immutable tells the files the engine writes once: a dataset's original
// and its Parquet copy.
func immutable(name string) bool {
	base := path.Base(name)
	return base == "data.parquet" || strings.HasPrefix(base, "original.")
}

// storedFiles lists the files of a session's directory, and of its
// version directories beneath, that belong in the store.
func storedFiles(dir string) ([]string, error) {
	var names []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && !storedName(rel) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && storedName(rel) {
			names = append(names, rel)
		}
		return nil
	})
	return names, err
}

// list returns the session's stored objects by name, with their ETags
// and sizes.
func (s *S3) list(ctx context.Context, sessionID string) (map[string]types.Object, error) {
	prefix := s.sessionPrefix(sessionID)
	out := map[string]types.Object{}
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: &s.loc.Bucket, Prefix: &prefix})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list session files: %w", err)
		}
		for _, o := range page.Contents {
			name := strings.TrimPrefix(aws.ToString(o.Key), prefix)
			if name != "" && !strings.Contains(name, "..") && storedName(name) {
				out[name] = o
			}
		}
	}
	return out, nil
}

// Refresh implements Store: Fetch, forgetting when the session was last
// checked.
func (s *S3) Refresh(ctx context.Context, sessionID string) error {
	s.mu.Lock()
	if e := s.entries[sessionID]; e != nil {
		e.checked = time.Time{}
	}
	s.mu.Unlock()
	return s.Fetch(ctx, sessionID)
}

// Fetch implements Store: the files a query reads are downloaded when
// missing or when their ETag differs from the one cached.
func (s *S3) Fetch(ctx context.Context, sessionID string) error {
	if !isSessionID(sessionID) {
		return nil // the engine refuses the id itself
	}
	s.mu.Lock()
	if e := s.entries[sessionID]; e != nil && time.Since(e.checked) < s.recheck {
		e.used = time.Now()
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	defer s.lock(sessionID)()
	stored, err := s.list(ctx, sessionID)
	if err != nil {
		return err
	}
	if len(stored) == 0 {
		return nil
	}
	dir := filepath.Join(s.dir, sessionID)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("cache folder: %w", err)
	}
	have := readETags(dir)
	etags := map[string]string{}
	for name, o := range stored {
		etag := aws.ToString(o.ETag)
		etags[name] = etag
		if !cachedName(name) {
			continue
		}
		local := filepath.Join(dir, filepath.FromSlash(name))
		if st, err := os.Stat(local); err == nil && have[name] == etag && st.Size() == aws.ToInt64(o.Size) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(local), 0o750); err != nil {
			return fmt.Errorf("cache folder: %w", err)
		}
		if err := s.download(ctx, aws.ToString(o.Key), etag, local); err != nil {
			return fmt.Errorf("fetch %s: %w", name, err)
		}
	}
	if err := writeETags(dir, etags); err != nil {
		return err
	}
	s.touch(sessionID, dirSize(dir), true)
	s.evict(sessionID)
	return nil
}

// download writes the object to file through a temporary file renamed
// into place, so that a reader never sees half of it. The object must
// still have etag (IfMatch): a file replaced meanwhile is not mixed in.
func (s *S3) download(ctx context.Context, key, etag, file string) error {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.loc.Bucket, Key: &key, IfMatch: &etag})
	if err != nil {
		return err
	}
	defer out.Body.Close()
	tmp, err := os.CreateTemp(filepath.Dir(file), filepath.Base(file)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, out.Body); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// As the engine leaves its Parquet copy: nobody writes it.
	if err := os.Chmod(tmp.Name(), 0o440); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// Remove implements Store.
func (s *S3) Remove(ctx context.Context, sessionID string) error {
	if !isSessionID(sessionID) {
		return errors.New("filestore: invalid session id")
	}
	defer s.lock(sessionID)()
	stored, err := s.list(ctx, sessionID)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(stored))
	for _, o := range stored {
		keys = append(keys, aws.ToString(o.Key))
	}
	if err := s.deleteKeys(ctx, keys); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.entries, sessionID)
	s.mu.Unlock()
	return nil
}

func (s *S3) deleteKeys(ctx context.Context, keys []string) error {
	for len(keys) > 0 {
		n := min(len(keys), 1000)
		ids := make([]types.ObjectIdentifier, n)
		for i, k := range keys[:n] {
			ids[i] = types.ObjectIdentifier{Key: aws.String(k)}
		}
		out, err := s.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: &s.loc.Bucket,
			Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}})
		if err != nil {
			return fmt.Errorf("delete session files: %w", err)
		}
		if len(out.Errors) > 0 {
			return fmt.Errorf("delete session files: %s: %s", aws.ToString(out.Errors[0].Key), aws.ToString(out.Errors[0].Message))
		}
		keys = keys[n:]
	}
	return nil
}

// Sessions implements Store.
func (s *S3) Sessions(ctx context.Context) ([]Stored, error) {
	prefix := ""
	if s.loc.Prefix != "" {
		prefix = s.loc.Prefix + "/"
	}
	byID := map[string]*Stored{}
	var out []Stored
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: &s.loc.Bucket, Prefix: &prefix})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list sessions in the store: %w", err)
		}
		for _, o := range page.Contents {
			id, _, ok := strings.Cut(strings.TrimPrefix(aws.ToString(o.Key), prefix), "/")
			if !ok || !isSessionID(id) {
				continue
			}
			st := byID[id]
			if st == nil {
				st = &Stored{ID: id}
				byID[id] = st
			}
			if m := aws.ToTime(o.LastModified); m.After(st.Modified) {
				st.Modified = m
			}
		}
	}
	for _, st := range byID {
		out = append(out, *st)
	}
	return out, nil
}

// Ping implements Store.
func (s *S3) Ping(ctx context.Context) error {
	_, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &s.loc.Bucket})
	if err != nil {
		return fmt.Errorf("object store bucket %s: %w", s.loc.Bucket, err)
	}
	return nil
}

// CachedBytes is what the local cache holds, in bytes.
func (s *S3) CachedBytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for _, e := range s.entries {
		n += e.size
	}
	return n
}

func (s *S3) touch(sessionID string, size int64, checked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.entries[sessionID]
	if e == nil {
		e = &cacheEntry{}
		s.entries[sessionID] = e
	}
	e.size, e.used = size, time.Now()
	if checked {
		e.checked = e.used
	}
}

// evict removes the least recently used sessions (never keep) from the
// cache until it fits MaxBytes. An engine instance that still has a
// removed Parquet file open keeps reading it (the file lives until
// closed); the next Fetch brings the session back.
func (s *S3) evict(keep string) {
	for {
		s.mu.Lock()
		var total int64
		victim := ""
		var oldest time.Time
		for id, e := range s.entries {
			total += e.size
			if id != keep && (victim == "" || e.used.Before(oldest)) {
				victim, oldest = id, e.used
			}
		}
		if total <= s.max || victim == "" {
			s.mu.Unlock()
			return
		}
		delete(s.entries, victim)
		s.mu.Unlock()
		unlock := s.lock(victim)
		if err := os.RemoveAll(filepath.Join(s.dir, victim)); err != nil {
			s.log.Warn("filestore: evicting a cached session", "session", victim, "err", err)
		}
		unlock()
	}
}

func readETags(dir string) map[string]string {
	m := map[string]string{}
	b, err := os.ReadFile(filepath.Join(dir, etagsFile))
	if err == nil {
		_ = json.Unmarshal(b, &m)
	}
	return m
}

func writeETags(dir string, etags map[string]string) error {
	b, _ := json.Marshal(etags)
	tmp := filepath.Join(dir, etagsFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, etagsFile))
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
