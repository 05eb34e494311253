package server

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
)

// formReader reads a multipart/form-data body as mime/multipart's Reader
// does (the same parts, headers, bodies and errors: FuzzFormReader checks
// it against mime/multipart), but over a 1 MiB buffer instead of 4 KiB.
//
// mime/multipart hands a part's body out at most 4 KiB at a time, and
// scans each 4 KiB backwards byte by byte for '\r' (which a CSV with LF
// line ends never has): receiving a 1 GB file cost 3–4 s of CPU. Here the
// boundary is found with bytes.Index over up to a megabyte at a time, and
// only the last few bytes are checked for the start of a boundary, so a
// file part streams at the speed of the connection and the disk.
type formReader struct {
	br *bufio.Reader

	cur       *formPart
	partsRead int

	nl               []byte // "\r\n" or "\n" (set after seeing the first boundary line)
	nlDashBoundary   []byte // nl + "--boundary"
	dashBoundaryDash []byte // "--boundary--"
	dashBoundary     []byte // "--boundary"
}

// formBufferSize is the read buffer: the largest piece of a part handed
// out at once.
const formBufferSize = 1 << 20

// mimePeekSize is mime/multipart's buffer, which bounds the length of a
// line between parts (a longer one is an error there, and here too).
const mimePeekSize = 4096

// Header limits of mime/multipart's NextPart.
const (
	maxPartHeaderBytes = 10 << 20
	maxPartHeaders     = 10000
)

func newFormReader(r io.Reader, boundary string) *formReader {
	b := []byte("\r\n--" + boundary + "--")
	return &formReader{
		br:               bufio.NewReaderSize(&stickyErrorReader{r: r}, formBufferSize),
		nl:               b[:2],
		nlDashBoundary:   b[:len(b)-2],
		dashBoundaryDash: b[2:],
		dashBoundary:     b[2 : len(b)-2],
	}
}

// stickyErrorReader returns the first error of r on every later read, as
// mime/multipart's does.
type stickyErrorReader struct {
	r   io.Reader
	err error
}

func (r *stickyErrorReader) Read(p []byte) (n int, _ error) {
	if r.err != nil {
		return 0, r.err
	}
	n, r.err = r.r.Read(p)
	return n, r.err
}

// formPart is one part: its header, and its body as a reader.
type formPart struct {
	Header textproto.MIMEHeader

	fr   *formReader
	r    io.Reader // the raw body, or it decoded from quoted-printable
	meta *multipart.Part

	n       int   // known data bytes waiting in fr.br
	total   int64 // bytes read so far
	err     error // error to return when n == 0
	readErr error // read error observed from fr.br
}

// FormName is the part's form field name, as multipart.Part's.
func (p *formPart) FormName() string { return p.meta.FormName() }

// FileName is the part's file name, as multipart.Part's.
func (p *formPart) FileName() string { return p.meta.FileName() }

// Read reads the part's body.
func (p *formPart) Read(d []byte) (int, error) { return p.r.Read(d) }

// Close skips the rest of the part.
func (p *formPart) Close() error {
	_, _ = io.Copy(io.Discard, p)
	return nil
}

// NextPart returns the next part, or io.EOF after the closing boundary.
func (r *formReader) NextPart() (*formPart, error) {
	if r.cur != nil {
		r.cur.Close()
	}
	if string(r.dashBoundary) == "--" {
		return nil, fmt.Errorf("multipart: boundary is empty")
	}
	expectNewPart := false
	for {
		line, err := r.br.ReadSlice('\n')
		// mime/multipart's 4 KiB buffer cannot hold a longer line.
		if len(line) > mimePeekSize || len(line) == mimePeekSize && line[len(line)-1] != '\n' || errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("multipart: NextPart: %w", bufio.ErrBufferFull)
		}
		if err == io.EOF && r.isFinalBoundary(line) {
			return nil, io.EOF
		}
		if err != nil {
			return nil, fmt.Errorf("multipart: NextPart: %w", err)
		}
		if r.isBoundaryDelimiterLine(line) {
			r.partsRead++
			p, err := r.newPart()
			if err != nil {
				return nil, err
			}
			r.cur = p
			return p, nil
		}
		if r.isFinalBoundary(line) {
			return nil, io.EOF
		}
		if expectNewPart {
			return nil, fmt.Errorf("multipart: expecting a new Part; got line %q", string(line))
		}
		if r.partsRead == 0 {
			continue // preamble
		}
		// The "\n" or "\r\n" between the previous part's body and the
		// boundary line that must follow it.
		if bytes.Equal(line, r.nl) {
			expectNewPart = true
			continue
		}
		return nil, fmt.Errorf("multipart: unexpected line in Next(): %q", line)
	}
}

func (r *formReader) newPart() (*formPart, error) {
	h, err := textproto.NewReader(r.br).ReadMIMEHeader()
	if err != nil {
		return nil, err
	}
	size, count := 0, 0
	for k, vs := range h {
		count += len(vs)
		size += len(k)
		for _, v := range vs {
			size += len(v)
		}
	}
	if count > maxPartHeaders || size > maxPartHeaderBytes {
		return nil, multipart.ErrMessageTooLarge
	}
	p := &formPart{Header: h, fr: r}
	p.r = rawPartReader{p}
	const cte = "Content-Transfer-Encoding"
	if strings.EqualFold(h.Get(cte), "quoted-printable") {
		h.Del(cte)
		p.r = quotedprintable.NewReader(p.r)
	}
	p.meta = &multipart.Part{Header: h}
	return p, nil
}

// rawPartReader reads the part's bytes up to the boundary.
type rawPartReader struct{ p *formPart }

func (pr rawPartReader) Read(d []byte) (int, error) {
	p := pr.p
	br := p.fr.br
	for p.n == 0 && p.err == nil {
		peek, _ := br.Peek(br.Buffered())
		p.n, p.err = scanUntilBoundary(peek, p.fr.dashBoundary, p.fr.nlDashBoundary, p.total, p.readErr)
		if p.n == 0 && p.err == nil {
			// Read more into the buffer.
			_, p.readErr = br.Peek(len(peek) + 1)
			if p.readErr == io.EOF {
				p.readErr = io.ErrUnexpectedEOF
			}
		}
	}
	if p.n == 0 {
		return 0, p.err
	}
	n := min(len(d), p.n)
	n, _ = br.Read(d[:n])
	p.total += int64(n)
	p.n -= n
	if p.n == 0 {
		return n, p.err
	}
	return n, nil
}

// scanUntilBoundary scans buf for the boundary and returns how many of its
// bytes are the part's data, and the error to return after them (io.EOF
// at the boundary), as mime/multipart's function of the same name; only
// the search for a boundary cut by the end of buf looks at the last
// len(nlDashBoundary) bytes instead of the whole buffer.
func scanUntilBoundary(buf, dashBoundary, nlDashBoundary []byte, total int64, readErr error) (int, error) {
	if total == 0 {
		// At the beginning of the body, allow dashBoundary.
		if bytes.HasPrefix(buf, dashBoundary) {
			switch matchAfterPrefix(buf, dashBoundary, readErr) {
			case -1:
				return len(dashBoundary), nil
			case 0:
				return 0, nil
			case +1:
				return 0, io.EOF
			}
		}
		if bytes.HasPrefix(dashBoundary, buf) {
			return 0, readErr
		}
	}
	if i := bytes.Index(buf, nlDashBoundary); i >= 0 {
		switch matchAfterPrefix(buf[i:], nlDashBoundary, readErr) {
		case -1:
			return i + len(nlDashBoundary), nil
		case 0:
			return i, nil
		case +1:
			return i, io.EOF
		}
	}
	if bytes.HasPrefix(nlDashBoundary, buf) {
		return 0, readErr
	}
	// Anything up to the last possible start of a boundary is data: only
	// a tail shorter than the boundary can be its beginning.
	from := max(0, len(buf)-len(nlDashBoundary)+1)
	if i := bytes.LastIndexByte(buf[from:], nlDashBoundary[0]); i >= 0 && bytes.HasPrefix(nlDashBoundary, buf[from+i:]) {
		return from + i, nil
	}
	return len(buf), readErr
}

// matchAfterPrefix checks whether buf, which begins with prefix, holds a
// boundary: +1 if so, -1 if not, 0 if more bytes are needed to tell.
func matchAfterPrefix(buf, prefix []byte, readErr error) int {
	if len(buf) == len(prefix) {
		if readErr != nil {
			return +1
		}
		return 0
	}
	c := buf[len(prefix)]
	if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
		return +1
	}
	if c == '-' {
		if len(buf) == len(prefix)+1 {
			if readErr != nil {
				return -1
			}
			return 0
		}
		if buf[len(prefix)+1] == '-' {
			return +1
		}
	}
	return -1
}

func (r *formReader) isFinalBoundary(line []byte) bool {
	if !bytes.HasPrefix(line, r.dashBoundaryDash) {
		return false
	}
	rest := skipLWSPChar(line[len(r.dashBoundaryDash):])
	return len(rest) == 0 || bytes.Equal(rest, r.nl)
}

func (r *formReader) isBoundaryDelimiterLine(line []byte) bool {
	if !bytes.HasPrefix(line, r.dashBoundary) {
		return false
	}
	rest := skipLWSPChar(line[len(r.dashBoundary):])
	// Lines ending in \n instead of \r\n on the first part switch to that
	// mode (against the spec, but seen in practice).
	if r.partsRead == 0 && len(rest) == 1 && rest[0] == '\n' {
		r.nl = r.nl[1:]
		r.nlDashBoundary = r.nlDashBoundary[1:]
	}
	return bytes.Equal(rest, r.nl)
}

// skipLWSPChar skips linear white space (space, tab).
func skipLWSPChar(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}
