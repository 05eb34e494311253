package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/datadir"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

// multipartOverhead allows for the multipart framing around the file.
const multipartOverhead = 64 << 10

var allowedExtensions = map[string]bool{".csv": true, ".parquet": true, ".pq": true}

type uploadResponse struct {
	SessionID string    `json:"session_id"`
	File      *fileInfo `json:"file"`
}

// upload streams the multipart field "file" to disk under MAX_UPLOAD_SIZE,
// hands it to the data engine, and creates a session for it. Nothing stays
// behind when any step fails.
func (s *Server) upload(c *fiber.Ctx) error {
	ctx := c.UserContext()
	mediaType, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || mediaType != fiber.MIMEMultipartForm || params["boundary"] == "" {
		return apperr.New(apperr.Invalid, "expected a multipart/form-data body with a file field")
	}
	if cl := c.Request().Header.ContentLength(); cl > 0 && int64(cl) > s.opts.MaxUploadSize+multipartOverhead {
		return s.tooLarge()
	}

	// Per-user concurrency and quota (limits.go), then the body, read so
	// that only a stalled upload times out (timeouts.go).
	slot, err := s.beginUpload(ctx, currentUser(c).ID, int64(c.Request().Header.ContentLength()))
	if err != nil {
		return err
	}
	defer slot.release()
	form := newFormReader(s.uploadBody(c), params["boundary"])
	part, err := fileField(form)
	if err != nil {
		return err
	}
	defer part.Close()
	filename, err := cleanFilename(part.FileName())
	if err != nil {
		return err
	}

	tmpPath, pre, err := s.receive(slot.limit(part), filename)
	if err != nil {
		return err
	}
	defer os.Remove(tmpPath) // the engine moves it on success; this covers failure

	// The whole body has arrived; from here a client that hangs up (a
	// closed tab, a cancelled upload) stops the import and its files go.
	if err := drainForm(form); err != nil {
		return err
	}
	sess, err := s.ingestSession(c, slot, tmpPath, filename, pre)
	if err != nil {
		return err
	}
	return c.JSON(uploadResponse{SessionID: sess.ID, File: s.fileInfo(c, sess)})
}

// ingestSession hands a received file (tmpPath, removed by the caller
// when the engine did not move it) to the data engine and stores the
// session, within the user's quota (slot). Uploads and sample datasets
// both come this way.
func (s *Server) ingestSession(c *fiber.Ctx, slot *uploadSlot, tmpPath, filename string, pre *duck.Prescan) (*storage.Session, error) {
	ctx := c.UserContext()
	ingestCtx, stopWatch := watchDisconnect(c, ctx)
	id := storage.NewSessionID()
	ds, err := s.engine.IngestWith(ingestCtx, id, tmpPath, filename, duck.IngestOptions{Owner: currentUser(c).ID, Prescan: pre})
	stopWatch()
	if err != nil {
		if errors.Is(context.Cause(ingestCtx), errClientGone) {
			s.log.Info("upload abandoned by its client during import: stopped, files removed", "request_id", requestID(c))
		}
		return nil, err
	}
	sess, file := newSessionRecord(currentUser(c).ID, id, filename, ds)
	file.DiskBytes = datasetBytes(ds)
	removeFiles := func() {
		if rerr := s.engine.Remove(context.WithoutCancel(ctx), id); rerr != nil {
			s.log.Error("remove files of unsaved session", "session", id, "err", rerr)
		}
		if rerr := s.opts.Files.Remove(context.WithoutCancel(ctx), id); rerr != nil {
			s.log.Error("remove stored files of unsaved session", "session", id, "err", rerr)
		}
	}
	// The typed copy counts too: the dataset must fit as a whole.
	if err := slot.fits(ctx, s, file.DiskBytes); err != nil {
		removeFiles()
		return nil, err
	}
	// The files reach the store before the row: a session whose row is
	// seen has its files wherever it is read from.
	if err := s.opts.Files.Save(ctx, id); err != nil {
		removeFiles()
		return nil, apperr.Wrap(apperr.Unavailable, "could not store the file", err)
	}
	if err := s.store.CreateSession(ctx, sess, file); err != nil {
		removeFiles()
		return nil, err
	}
	s.saveProfile(id)
	s.log.Info("dataset uploaded", "request_id", requestID(c), "session", id, "rows", ds.RowCount,
		"columns", len(ds.Columns), "bytes", ds.SizeBytes, "rejected_rows", ds.RejectedRows)
	return sess, nil
}

// saveProfile stores the session's files again once the profile computed
// after the upload (in the background) is written, so that other
// instances read it instead of computing it again. Nothing to do when
// the data folder is the store.
func (s *Server) saveProfile(id string) {
	if s.opts.Files.Kind() == "local" {
		return
	}
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		ctx, cancel := context.WithTimeout(s.base, 10*time.Minute)
		defer cancel()
		if _, err := s.engine.Profile(ctx, id); err != nil {
			return // computed on demand by whoever asks
		}
		if err := s.opts.Files.Save(ctx, id); err != nil && ctx.Err() == nil {
			s.log.Warn("store the profile of a session", "session", id, "err", err)
		}
	}()
}

// fileField advances to the part named "file", skipping others.
func fileField(mr *formReader) (*formPart, error) {
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, apperr.New(apperr.Invalid, "the form has no file field")
		}
		if err != nil {
			return nil, apperr.Wrap(apperr.Invalid, "the upload is not valid multipart/form-data", err)
		}
		if part.FormName() == "file" && part.FileName() != "" {
			return part, nil
		}
		// Another field: skip it, within reason.
		if _, err := io.CopyN(io.Discard, part, multipartOverhead+1); err == nil {
			return nil, apperr.New(apperr.Invalid, "unexpected large form field")
		}
		part.Close()
	}
}

// drainForm reads the form past the file to its closing boundary, so that
// nothing of the request is left unread on the connection; another field
// after the file is skipped within reason.
func drainForm(form *formReader) error {
	for {
		part, err := form.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return apperr.Wrap(apperr.Invalid, "the upload is not valid multipart/form-data", err)
		}
		n, err := io.CopyN(io.Discard, part, multipartOverhead+1)
		part.Close()
		if err == nil && n > multipartOverhead {
			return apperr.New(apperr.Invalid, "unexpected large form field")
		}
	}
}

// cleanFilename keeps the base name of what the browser sent, without
// control characters, as data only: files on disk get names of our own.
func cleanFilename(raw string) (string, error) {
	name := path.Base(strings.ReplaceAll(raw, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == "/" {
		return "", apperr.New(apperr.Invalid, "the file has no name")
	}
	if utf8.RuneCountInString(name) > 255 {
		runes := []rune(name)
		ext := path.Ext(name)
		name = string(runes[:200]) + ext
	}
	ext := strings.ToLower(path.Ext(name))
	if !allowedExtensions[ext] {
		return "", apperr.New(apperr.Invalid, "only .csv, .parquet and .pq files are accepted")
	}
	return name, nil
}

// receiveBuffer is the most of the file receive writes at once.
const receiveBuffer = 1 << 20

// receive writes the part to a temporary file, refusing more than
// MAX_UPLOAD_SIZE bytes or none. A file that the data engine would refuse
// for what it is (a ZIP, a PDF, binary junk, text named .parquet) is
// refused once its first bytes (duck.HeadBytes) have arrived, before
// anything is written; the caller drains the rest of the form, as for a
// name that is refused (the answer then reaches the client whole). The
// bytes of a CSV also go through the engine's text pass as they arrive
// (the prescan returned, closed; nil for other files).
func (s *Server) receive(part io.Reader, filename string) (string, *duck.Prescan, error) {
	if err := os.MkdirAll(s.opts.UploadDir, 0o700); err != nil {
		return "", nil, apperr.Wrap(apperr.Internal, "could not store the upload", err)
	}
	tmp, err := os.CreateTemp(s.opts.UploadDir, datadir.UploadPrefix+"*")
	if err != nil {
		return "", nil, apperr.Wrap(apperr.Internal, "could not store the upload", err)
	}
	var pre *duck.Prescan
	fail := func(err error) (string, *duck.Prescan, error) {
		pre.Close()
		tmp.Close()
		os.Remove(tmp.Name())
		return "", nil, err
	}
	buf := make([]byte, receiveBuffer)
	limit := s.opts.MaxUploadSize + 1 // one byte more tells a file that is too large
	var n int64
	var copyErr error
	checked := false
	for n < limit && copyErr == nil {
		var m int
		var err error
		if checked {
			// What has arrived is written at once (up to 1 MiB): a slow
			// upload is on disk as it comes, not held in memory.
			m, err = part.Read(buf[:min(int64(len(buf)), limit-n)])
		} else {
			m, err = readFull(part, buf[:min(duck.HeadBytes, limit-n)])
		}
		if m > 0 && !checked {
			if cerr := duck.CheckHead(filename, buf[:m]); cerr != nil {
				return fail(cerr)
			}
			checked = true
			pre = duck.NewPrescan(filename, buf[:m])
		}
		if m > 0 {
			if _, werr := tmp.Write(buf[:m]); werr != nil {
				return fail(apperr.Wrap(apperr.Internal, "could not store the upload", werr))
			}
			pre.Write(buf[:m])
			n += int64(m)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		copyErr = err
	}
	pre.Close()
	closeErr := tmp.Close()
	switch {
	case copyErr != nil:
		if e, ok := apperr.As(copyErr); ok {
			return fail(e) // over the quota
		}
		return fail(apperr.Wrap(apperr.Invalid, "the upload was interrupted", copyErr))
	case closeErr != nil:
		return fail(apperr.Wrap(apperr.Internal, "could not store the upload", closeErr))
	case n > s.opts.MaxUploadSize:
		return fail(s.tooLarge())
	case n == 0:
		return fail(apperr.New(apperr.Invalid, "the file is empty"))
	}
	return tmp.Name(), pre, nil
}

// readFull reads until buf is full or r fails, and returns r's error as
// it is (io.ReadFull would turn a short io.EOF into ErrUnexpectedEOF,
// which is also what a part cut before its boundary returns).
func readFull(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (s *Server) tooLarge() error {
	return apperr.New(apperr.TooLarge, fmt.Sprintf("the file is larger than the %s limit", humanBytes(s.opts.MaxUploadSize)))
}

func newSessionRecord(userID, id, filename string, ds *duck.Dataset) (*storage.Session, *storage.File) {
	names := make([]string, len(ds.Columns))
	types := make([]string, len(ds.Columns))
	for i, col := range ds.Columns {
		names[i], types[i] = col.Name, col.Type
	}
	sess := &storage.Session{ID: id, UserID: userID, Title: filename}
	file := &storage.File{
		Filename:     filename,
		PathOnDisk:   ds.OriginalPath,
		RowCount:     ds.RowCount,
		ColCount:     len(ds.Columns),
		Columns:      storage.MustJSON(names),
		ColumnTypes:  storage.MustJSON(types),
		Format:       ds.Format,
		SizeBytes:    ds.SizeBytes,
		RejectedRows: ds.RejectedRows,
	}
	recordReport(file, ds)
	return sess, file
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %cB", int64(v), "KMGTPE"[exp])
	}
	return fmt.Sprintf("%.1f %cB", v, "KMGTPE"[exp])
}
