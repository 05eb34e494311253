package server

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

// Limits bounds what one client or one user may consume. The zero value
// limits nothing but the protocol timeouts; the configuration supplies the
// documented defaults (config.Limits).
type Limits struct {
	// LoginPerAccount and LoginPerIP bound failed sign-ins; past them a
	// sign-in is refused with 429 and Retry-After, whatever the password.
	LoginPerAccount Rate
	LoginPerIP      Rate
	// RegisterPerIP bounds account creations from one client address.
	RegisterPerIP Rate
	// TurnsPerUser bounds the replies one user has running at once, over
	// all their connections.
	TurnsPerUser int
	// UploadsPerUser bounds the uploads one user has in progress at once.
	UploadsPerUser int
	// UserQuota bounds what one user keeps (0: none): their datasets on
	// disk (originals and typed copies) and their stored messages. An
	// upload that does not fit is refused with 413; a chat reply is refused
	// once the user is over it.
	UserQuota int64
	// RequestTimeout bounds a JSON API request's handling (0: none). The
	// upload and the WebSocket are exempt: they have their own bounds.
	RequestTimeout time.Duration
	// WSIdleTimeout closes a chat socket on which the client sent nothing
	// for this long while no reply ran (0: never).
	WSIdleTimeout time.Duration

	// HeaderTimeout bounds reading a request's header, and the whole of a
	// request that is not an upload (default 30s): slow-header clients
	// cannot hold connections.
	HeaderTimeout time.Duration
	// UploadStall cuts an upload that sent nothing for this long (default
	// 60s). A slow upload that keeps sending is never cut: a 1 GB file over
	// a slow link may take an hour.
	UploadStall time.Duration
	// WriteTimeout bounds writing one response (default 2m).
	WriteTimeout time.Duration
	// TurnTimeout bounds a whole chat reply: the agent, its queries,
	// encoding and storing (default 5m). When it expires the user gets an
	// error and `done`, and what the reply produced so far is kept.
	TurnTimeout time.Duration
	// WSAccountCheck is how often an open chat socket rechecks that its
	// account exists and its token still holds (default 5s); it is also
	// rechecked on every client message.
	WSAccountCheck time.Duration
}

func (l *Limits) setDefaults() {
	if l.HeaderTimeout <= 0 {
		l.HeaderTimeout = 30 * time.Second
	}
	if l.UploadStall <= 0 {
		l.UploadStall = 60 * time.Second
	}
	if l.WriteTimeout <= 0 {
		l.WriteTimeout = 2 * time.Minute
	}
	if l.TurnTimeout <= 0 {
		l.TurnTimeout = 5 * time.Minute
	}
	if l.WSAccountCheck <= 0 {
		l.WSAccountCheck = 5 * time.Second
	}
}

// guard holds the state of the limits: rate limiters and the per-user
// counts of running turns and uploads.
type guard struct {
	limits       Limits
	loginAccount throttle
	loginIP      throttle
	registerIP   throttle
	// shared, with PostgreSQL, holds the counts of running replies and
	// uploads in the database (shared.go); nil keeps them below.
	shared *sharedSlots

	mu       sync.Mutex
	turns    map[string]int   // user id → replies running
	uploads  map[string]int   // user id → uploads in progress
	reserved map[string]int64 // user id → quota bytes held by uploads in progress
}

func newGuard(l Limits, now func() time.Time) *guard {
	l.setDefaults()
	return &guard{
		limits:       l,
		loginAccount: newLimiter(l.LoginPerAccount, now),
		loginIP:      newLimiter(l.LoginPerIP, now),
		registerIP:   newLimiter(l.RegisterPerIP, now),
		turns:        map[string]int{},
		uploads:      map[string]int{},
		reserved:     map[string]int64{},
	}
}

// accountKey is the throttling key of a sign-in's email: normalised like
// the account's, bounded in length whatever was sent.
func accountKey(email string) string {
	if e, err := storage.NormalizeEmail(email); err == nil {
		return e
	}
	k := strings.ToLower(strings.TrimSpace(email))
	if len(k) > 320 {
		k = k[:320]
	}
	return k
}

func tooMany(msg string, wait time.Duration) error {
	e := apperr.New(apperr.TooMany, msg)
	e.RetryAfter = wait
	return e
}

// beforeLogin counts a sign-in attempt against the account and the client
// address before the password is checked, so that concurrent guesses count
// too, and refuses it when either is at its limit.
func (s *Server) beforeLogin(c *fiber.Ctx, email string) error {
	g := s.guard
	acct, ip := accountKey(email), c.IP()
	if wait := g.loginIP.take(ip); wait > 0 {
		s.log.Warn("sign-in throttled", "request_id", requestID(c), "reason", "client address", "ip", ip)
		return tooMany("too many failed sign-in attempts from this address: try again later", wait)
	}
	if wait := g.loginAccount.take(acct); wait > 0 {
		g.loginIP.undo(ip)
		s.log.Warn("sign-in throttled", "request_id", requestID(c), "reason", "account", "ip", ip)
		return tooMany("too many failed sign-in attempts for this account: try again later", wait)
	}
	return nil
}

// afterLogin keeps the attempt counted only if it was a wrong password: a
// success clears the account's failures, and a failure of ours (the
// database) is not the client's.
func (s *Server) afterLogin(c *fiber.Ctx, email string, err error) {
	g := s.guard
	acct, ip := accountKey(email), c.IP()
	switch apperr.KindOf(err) {
	case apperr.Unauthorized:
		s.log.Info("sign-in failed", "request_id", requestID(c), "ip", ip)
	case "":
		g.loginAccount.reset(acct)
		g.loginIP.undo(ip)
	default:
		g.loginAccount.undo(acct)
		g.loginIP.undo(ip)
	}
}

// beforeRegister counts an account creation against the client address.
func (s *Server) beforeRegister(c *fiber.Ctx) error {
	if wait := s.guard.registerIP.take(c.IP()); wait > 0 {
		s.log.Warn("registration throttled", "request_id", requestID(c), "ip", c.IP())
		return tooMany("too many accounts were created from this address: try again later", wait)
	}
	return nil
}

// beginTurn counts a reply of user against TurnsPerUser; endTurn must
// follow when it ends.
func (g *guard) beginTurn(userID string) error {
	max := g.limits.TurnsPerUser
	if g.shared != nil {
		ok, err := g.shared.beginTurn(userID, max)
		if err != nil {
			return err
		}
		if !ok {
			return turnsBusy(max)
		}
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if max > 0 && g.turns[userID] >= max {
		return turnsBusy(max)
	}
	g.turns[userID]++
	return nil
}

// turnsBusy is the refusal of a reply past TurnsPerUser.
func turnsBusy(max int) error {
	if max == 1 {
		return apperr.New(apperr.TooMany, "you already have a reply running in another tab: wait for it or stop it first")
	}
	return apperr.Newf(apperr.TooMany, "you already have %d replies running: wait for one to finish or stop it", max)
}

func (g *guard) endTurn(userID string) {
	if g.shared != nil {
		g.shared.endTurn(userID)
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.turns[userID]--; g.turns[userID] <= 0 {
		delete(g.turns, userID)
	}
}

// quotaFraming is what the quota check allows for the multipart framing
// around a file of an announced length: the boundaries and the part's
// header with a file name of up to 255 characters.
const quotaFraming = 2 << 10

// uploadSlot is one upload in progress: it holds a place among the user's
// concurrent uploads and the quota bytes the file may use.
type uploadSlot struct {
	g      *guard
	user   string
	quota  int64 // bytes the file may have under the quota; MaxInt64 without one
	held   int64
	closed bool
	shared *heldSlot // with PostgreSQL: the slot in the database
}

// beginUpload admits an upload of user, whose request announced
// contentLength bytes (0 when unknown), or refuses it with 429 (too many
// at once) or 413 (over the quota). release must be called when it ends.
func (s *Server) beginUpload(ctx context.Context, userID string, contentLength int64) (*uploadSlot, error) {
	g := s.guard
	if g.shared != nil {
		return s.beginSharedUpload(ctx, userID, contentLength)
	}
	g.mu.Lock()
	if max := g.limits.UploadsPerUser; max > 0 && g.uploads[userID] >= max {
		g.mu.Unlock()
		return nil, uploadsBusy(max)
	}
	g.uploads[userID]++
	g.mu.Unlock()
	slot := &uploadSlot{g: g, user: userID, quota: math.MaxInt64}
	if g.limits.UserQuota <= 0 {
		return slot, nil
	}

	used, err := s.diskUsage(ctx, userID)
	if err != nil {
		slot.release()
		return nil, err
	}
	g.mu.Lock()
	left := g.limits.UserQuota - used - g.reserved[userID]
	// The file is at most the announced length, and at least that
	// less the framing; it may use whatever is left.
	upper, lower := s.opts.MaxUploadSize, int64(0)
	if contentLength > 0 {
		upper, lower = min(upper, contentLength), contentLength-quotaFraming
	}
	fits := left > 0 && lower <= left
	if fits {
		slot.quota, slot.held = left, min(upper, left)
		g.reserved[userID] += slot.held
	}
	g.mu.Unlock()
	switch {
	case fits:
		return slot, nil
	case left <= 0:
		slot.release()
		return nil, s.quotaUsedUp()
	default:
		slot.release()
		return nil, s.fileTooLarge(left)
	}
}

func uploadsBusy(max int) error {
	return tooMany(fmt.Sprintf("you already have %d uploads in progress: wait for one to finish", max), 5*time.Second)
}

func (s *Server) fileTooLarge(left int64) error {
	return apperr.New(apperr.TooLarge, fmt.Sprintf("the file is larger than the %s left of your %s of storage", humanBytes(left), humanBytes(s.guard.limits.UserQuota)))
}

// beginSharedUpload is beginUpload with the count and the held quota
// bytes in the database, across instances.
func (s *Server) beginSharedUpload(ctx context.Context, userID string, contentLength int64) (*uploadSlot, error) {
	g := s.guard
	upper, lower := s.opts.MaxUploadSize, int64(0)
	if contentLength > 0 {
		upper, lower = min(upper, contentLength), contentLength-quotaFraming
	}
	var used int64
	if g.limits.UserQuota > 0 {
		var err error
		if used, err = s.diskUsage(ctx, userID); err != nil {
			return nil, err
		}
	}
	h, others, err := g.shared.acquire(ctx, userID, "upload", g.limits.UploadsPerUser, 0)
	if err != nil {
		return nil, err
	}
	if h == nil {
		return nil, uploadsBusy(g.limits.UploadsPerUser)
	}
	slot := &uploadSlot{g: g, user: userID, quota: math.MaxInt64, shared: h}
	if g.limits.UserQuota <= 0 {
		return slot, nil
	}
	left := g.limits.UserQuota - used - others
	if left <= 0 || lower > left {
		slot.release()
		if left <= 0 {
			return nil, s.quotaUsedUp()
		}
		return nil, s.fileTooLarge(left)
	}
	slot.quota, slot.held = left, min(upper, left)
	if err := s.store.SetSlotBytes(ctx, h.id, slot.held); err != nil {
		slot.release()
		return nil, err
	}
	return slot, nil
}

// release ends the upload. By then its files, if kept, count on disk.
func (u *uploadSlot) release() {
	g := u.g
	if u.shared != nil {
		g.mu.Lock()
		closed := u.closed
		u.closed = true
		g.mu.Unlock()
		if !closed {
			g.shared.release(u.shared)
		}
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if u.closed {
		return
	}
	u.closed = true
	if g.uploads[u.user]--; g.uploads[u.user] <= 0 {
		delete(g.uploads, u.user)
	}
	if u.held > 0 {
		if g.reserved[u.user] -= u.held; g.reserved[u.user] <= 0 {
			delete(g.reserved, u.user)
		}
	}
}

// fits refuses a dataset of diskBytes (its original and typed copy) that
// does not fit in what the user's quota leaves, besides the user's other
// uploads in progress.
func (u *uploadSlot) fits(ctx context.Context, s *Server, diskBytes int64) error {
	quota := u.g.limits.UserQuota
	if quota <= 0 {
		return nil
	}
	used, err := s.diskUsage(ctx, u.user)
	if err != nil {
		return err
	}
	var others int64
	if u.shared != nil {
		if others, err = s.store.ReservedBytes(ctx, u.user, u.shared.id); err != nil {
			return err
		}
	} else {
		u.g.mu.Lock()
		others = u.g.reserved[u.user] - u.held
		u.g.mu.Unlock()
	}
	if left := quota - used - others; diskBytes > left {
		return apperr.New(apperr.TooLarge, fmt.Sprintf("the file and its typed copy (%s) do not fit in the %s left of your %s of storage",
			humanBytes(diskBytes), humanBytes(max(left, 0)), humanBytes(quota)))
	}
	return nil
}

// limit caps r at the bytes the quota leaves for this file.
func (u *uploadSlot) limit(r io.Reader) io.Reader {
	if u.quota == math.MaxInt64 {
		return r
	}
	return &quotaReader{r: r, left: u.quota, quota: u.g.limits.UserQuota}
}

type quotaReader struct {
	r     io.Reader
	left  int64
	quota int64
}

func (q *quotaReader) Read(p []byte) (int, error) {
	// One byte more than is left tells a file that does not fit from one
	// that fits exactly.
	if int64(len(p)) > q.left+1 {
		p = p[:q.left+1]
	}
	n, err := q.r.Read(p)
	if q.left -= int64(n); q.left < 0 {
		return n, apperr.New(apperr.TooLarge, fmt.Sprintf("the file does not fit in your %s of storage: delete a session to make room", humanBytes(q.quota)))
	}
	return n, err
}

// diskUsage is what a user keeps: each session's dataset on disk (the
// original upload and its typed Parquet copy, measured at upload and kept
// as files.disk_bytes; for sessions stored before that was measured, the
// size of the session's directory now) and every stored message.
func (s *Server) diskUsage(ctx context.Context, userID string) (int64, error) {
	sessions, err := s.store.ListSessions(ctx, userID)
	if err != nil {
		return 0, err
	}
	total, err := s.store.MessageBytes(ctx, userID)
	if err != nil {
		return 0, err
	}
	versions, err := s.store.VersionBytes(ctx, userID) // tables.go
	if err != nil {
		return 0, err
	}
	total += versions
	for _, ss := range sessions {
		switch {
		case ss.File == nil:
		case ss.File.DiskBytes > 0:
			total += ss.File.DiskBytes
		case ss.File.PathOnDisk != "":
			total += dirSize(filepath.Dir(ss.File.PathOnDisk))
		}
	}
	return total, nil
}

// dirSize is the size of the regular files under dir.
func dirSize(dir string) int64 {
	var total int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	return total
}

// datasetBytes is what a new dataset takes on disk: its original and its
// Parquet copy, as the engine left them.
func datasetBytes(ds *duck.Dataset) int64 {
	var total int64
	for _, p := range []string{ds.OriginalPath, ds.ParquetPath} {
		if p == "" {
			continue
		}
		if info, err := os.Stat(p); err == nil {
			total += info.Size()
		}
	}
	return total
}

// quotaUsedUp is the refusal of a user over UserQuota.
func (s *Server) quotaUsedUp() error {
	return apperr.New(apperr.TooLarge, fmt.Sprintf("your %s of storage is used up: delete a session to make room", humanBytes(s.guard.limits.UserQuota)))
}

// checkQuota refuses work that would keep more for a user already at
// UserQuota (a chat reply is kept).
func (s *Server) checkQuota(ctx context.Context, userID string) error {
	quota := s.guard.limits.UserQuota
	if quota <= 0 {
		return nil
	}
	used, err := s.diskUsage(ctx, userID)
	if err != nil {
		return err
	}
	if used >= quota {
		s.log.Info("over quota", "user", userID, "used", used, "quota", quota)
		return s.quotaUsedUp()
	}
	return nil
}
