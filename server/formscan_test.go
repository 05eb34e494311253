package server

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/iotest"
)

// transcript is everything a reader of a form says about a body: each
// part's names, headers and bytes, and where and how it stopped.
func transcript(next func() (name, file string, h map[string][]string, body io.Reader, err error)) string {
	var b strings.Builder
	for i := 0; i < 1000; i++ {
		name, file, h, body, err := next()
		if err != nil {
			fmt.Fprintf(&b, "end: %v\n", err)
			return b.String()
		}
		keys := make([]string, 0, len(h))
		for k := range h {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(&b, "part name=%q file=%q\n", name, file)
		for _, k := range keys {
			fmt.Fprintf(&b, "  %s: %q\n", k, h[k])
		}
		// Read in uneven pieces, as the upload does (a big buffer) and as
		// a small reader would.
		var got bytes.Buffer
		buf := make([]byte, 7+i%3*4096)
		for {
			n, err := body.Read(buf)
			got.Write(buf[:n])
			if err != nil {
				if err != io.EOF {
					fmt.Fprintf(&b, "  body error: %v\n", err)
				}
				break
			}
		}
		fmt.Fprintf(&b, "  body %d bytes %q\n", got.Len(), got.Bytes())
	}
	return b.String()
}

func mimeTranscript(body []byte, boundary string) string {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	return transcript(func() (string, string, map[string][]string, io.Reader, error) {
		p, err := mr.NextPart()
		if err != nil {
			return "", "", nil, nil, err
		}
		return p.FormName(), p.FileName(), p.Header, p, nil
	})
}

func formTranscript(r io.Reader, boundary string) string {
	fr := newFormReader(r, boundary)
	return transcript(func() (string, string, map[string][]string, io.Reader, error) {
		p, err := fr.NextPart()
		if err != nil {
			return "", "", nil, nil, err
		}
		return p.FormName(), p.FileName(), p.Header, p, nil
	})
}

// formSeeds are bodies with the framing's corner cases: boundaries cut by
// buffer ends, LF-only lines, transport padding, a boundary-like line in
// the data, quoted-printable, preamble and epilogue, truncation.
func formSeeds() [][]byte {
	const b = "fuzzboundary"
	part := func(name, file, content string) string {
		h := "Content-Disposition: form-data; name=\"" + name + "\""
		if file != "" {
			h += "; filename=\"" + file + "\""
		}
		return "--" + b + "\r\n" + h + "\r\n\r\n" + content + "\r\n"
	}
	big := strings.Repeat("id,name,amount\n1,ada,2.5\n", 100_000) // 2.5 MB: several buffers
	return [][]byte{
		[]byte(part("file", "a.csv", "a,b\n1,2\n") + "--" + b + "--\r\n"),
		[]byte(part("other", "", "x") + part("file", "b.csv", "q\n1\n") + "--" + b + "--\r\n"),
		[]byte("--fuzzboundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\x00.csv\"\r\n\r\n"),
		[]byte("--fuzzboundary--"),
		[]byte(""),
		[]byte("preamble\r\nmore\r\n" + part("file", "c.csv", big) + "--" + b + "--\r\nepilogue"),
		[]byte(part("file", "d.csv", big[:formBufferSize-3]+"\r\n--fuzzboundar") + "--" + b + "--\r\n"),
		[]byte(part("file", "e.csv", "x\r\n--fuzzboundaryX\r\n--fuzzboundary-y\r\n--fuzzboundary") + "--" + b + "--"),
		[]byte("--fuzzboundary\nContent-Disposition: form-data; name=\"file\"; filename=\"f.csv\"\n\na\nb\n--fuzzboundary--\n"),
		[]byte("--fuzzboundary  \t\r\nContent-Disposition: form-data; name=file; filename=g.csv\r\n\r\nz\r\n--fuzzboundary \r\n\r\nq\r\n--fuzzboundary--  \r\n"),
		[]byte("--fuzzboundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"h.csv\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\na=3Db=\r\nc\r\n--fuzzboundary--\r\n"),
		[]byte(part("file", "../dir/i.csv", big[:70_000])),
		[]byte(strings.Repeat("x", 5000) + "\r\n" + part("file", "j.csv", "1") + "--" + b + "--"),
		[]byte(part("file", "k.csv", "1") + "junk\r\n"),
		[]byte("--fuzzboundary\r\nBad Header\r\n\r\n1\r\n--fuzzboundary--"),
	}
}

// FuzzFormReader: the upload's form reader gives the same parts, headers,
// bodies and errors as mime/multipart, whatever the body, and however the
// connection hands it over (all at once, a byte at a time, in halves).
func FuzzFormReader(f *testing.F) {
	for _, s := range formSeeds() {
		f.Add(s)
	}
	// The other upload fuzz targets' corpus too.
	for _, dir := range []string{"FuzzUploadBody"} {
		files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", dir, "*"))
		for _, name := range files {
			raw, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			if body, ok := corpusBytes(raw); ok {
				f.Add(body)
			}
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		want := mimeTranscript(body, "fuzzboundary")
		for name, r := range map[string]io.Reader{
			"whole":    bytes.NewReader(body),
			"one byte": iotest.OneByteReader(bytes.NewReader(body)),
			"halves":   iotest.HalfReader(bytes.NewReader(body)),
			"data+EOF": iotest.DataErrReader(bytes.NewReader(body)),
		} {
			if got := formTranscript(r, "fuzzboundary"); got != want {
				t.Fatalf("%s: the form reader says\n%.3000s\nmime/multipart says\n%.3000s", name, got, want)
			}
		}
	})
}

// corpusBytes reads the []byte of a one-value "go test fuzz v1" file.
func corpusBytes(raw []byte) ([]byte, bool) {
	lines := strings.SplitN(string(raw), "\n", 3)
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "[]byte(") {
		return nil, false
	}
	var s string
	if _, err := fmt.Sscanf(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"), "%q", &s); err != nil {
		return nil, false
	}
	return []byte(s), true
}

// stopAfter yields head and fails any read past it.
type stopAfter struct {
	head []byte
	t    *testing.T
}

func (r *stopAfter) Read(p []byte) (int, error) {
	if len(r.head) == 0 {
		r.t.Error("the upload was read past its first bytes")
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, r.head)
	r.head = r.head[n:]
	return n, nil
}

// TestReceiveRefusesFromFirstBytes: a file the engine would refuse for
// what it is is refused from its first bytes, without reading on or
// leaving a file; a good file of several buffers is stored whole.
func TestReceiveRefusesFromFirstBytes(t *testing.T) {
	env := buildEnv(t, func(c *envConfig) { c.opts.MaxUploadSize = 8 << 20 })
	head := func(prefix string) []byte {
		b := bytes.Repeat([]byte("x"), 64<<10)
		copy(b, prefix)
		return b
	}
	for _, tc := range []struct{ name, file, head, want string }{
		{"zip", "a.csv", "PK\x03\x04", "ZIP archive"},
		{"gzip", "a.csv", "\x1f\x8b\x08", "gzip"},
		{"pdf", "a.parquet", "%PDF-1.7", "PDF"},
		{"text named parquet", "a.parquet", "a,b\n1,2\n", "is not a Parquet file"},
		{"binary junk", "a.csv", strings.Repeat("\x01\x02\x03\x04", 2000), "binary data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, _, err := env.srv.receive(&stopAfter{head: head(tc.head), t: t}, tc.file)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if path != "" || uploadsInProgress(env.dataDir) != 0 {
				t.Errorf("a file was left: %q", path)
			}
		})
	}
	big := bytes.Repeat([]byte("id,name\n1,ada\n"), 300_000) // 4.2 MB
	path, pre, err := env.srv.receive(iotest.HalfReader(bytes.NewReader(big)), "big.csv")
	if err != nil {
		t.Fatal(err)
	}
	if pre == nil {
		t.Error("a CSV was received without the engine's text pass")
	}
	defer os.Remove(path)
	if got, _ := os.ReadFile(path); !bytes.Equal(got, big) {
		t.Errorf("stored %d bytes, want %d", len(got), len(big))
	}
}
