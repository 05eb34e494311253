package duck

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/analyzerhq/analyzer/apperr"
)

// scrubber removes host paths from text a client may see. DuckDB quotes file
// names in its messages; ours all live under the data dir, and the upload's
// temp file may live anywhere, so both are replaced by neutral words.
type scrubber struct{ pairs []string }

func newScrubber(dataDir string, extra ...string) *scrubber {
	s := &scrubber{}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i] != "" {
			s.pairs = append(s.pairs, extra[i], extra[i+1])
		}
	}
	sep := string(filepath.Separator)
	s.pairs = append(s.pairs, dataDir+sep, "", dataDir, ".")
	if sep != "/" {
		// DuckDB may print paths with forward slashes on Windows.
		slash := filepath.ToSlash(dataDir)
		s.pairs = append(s.pairs, slash+"/", "", slash, ".")
	}
	return s
}

func (s *scrubber) clean(text string) string {
	for i := 0; i+1 < len(s.pairs); i += 2 {
		text = strings.ReplaceAll(text, s.pairs[i], s.pairs[i+1])
	}
	return text
}

// plainMessage reduces a DuckDB message to its first line, without the
// "Binder Error: " prefix, the LINE/caret context and the "Possible fixes"
// tail that name our own read options.
func plainMessage(msg string) string {
	msg = strings.TrimSpace(msg)
	if i := strings.IndexAny(msg, "\r\n"); i >= 0 {
		msg = strings.TrimSpace(msg[:i])
	}
	// DuckDB's prefixes: "Binder Error", "Invalid Input Error", ...
	if prefix, rest, ok := strings.Cut(msg, ": "); ok && strings.HasSuffix(prefix, "Error") && len(prefix) <= 30 {
		msg = strings.TrimSpace(rest)
	}
	const max = 400
	if len(msg) > max {
		msg = msg[:max] + "…"
	}
	return msg
}

// queryError maps an error from running user SQL to an *apperr.Error. cause
// is context.Cause of the query context (nil if it is still live); timeout
// is the limit it had, for the message.
func queryError(err, cause error, s *scrubber, timeout time.Duration) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	switch {
	case errors.Is(cause, errQueryTimeout):
		return apperr.Wrap(apperr.Timeout, fmt.Sprintf("the query took longer than %v and was stopped", timeout), err)
	case errors.Is(cause, errSessionClosed):
		return apperr.Wrap(apperr.Canceled, "the query was stopped because the session was closed", err)
	case cause != nil || errors.Is(err, context.Canceled):
		return apperr.Wrap(apperr.Canceled, "the query was stopped", err)
	case errors.Is(err, context.DeadlineExceeded):
		return apperr.Wrap(apperr.Timeout, "the query took too long and was stopped", err)
	}
	var ce *convertError
	if errors.As(err, &ce) {
		return apperr.Wrap(apperr.Invalid, "a result column has a type that cannot be shown; cast it to VARCHAR", err)
	}
	var de *duckdb.Error
	if !errors.As(err, &de) {
		return apperr.Wrap(apperr.Internal, "internal error", err)
	}
	msg := s.clean(plainMessage(de.Msg))
	switch de.Type {
	case duckdb.ErrorTypeInterrupt:
		return apperr.Wrap(apperr.Canceled, "the query was stopped", err)
	case duckdb.ErrorTypeOutOfMemory:
		return apperr.Wrap(apperr.TooLarge, "the query needs more memory than allowed; add filters, aggregate, or select fewer columns", err)
	case duckdb.ErrorTypePermission:
		return apperr.Wrap(apperr.Forbidden, "only the session's data can be read: "+msg, err)
	case duckdb.ErrorTypeFatal, duckdb.ErrorTypeInternal:
		return apperr.Wrap(apperr.Internal, "internal error", err)
	}
	if msg == "" {
		msg = "the query failed"
	}
	return apperr.Wrap(apperr.Invalid, msg, err)
}

var (
	errQueryTimeout  = errors.New("query timeout")
	errSessionClosed = errors.New("session closed")
)
