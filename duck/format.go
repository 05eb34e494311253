package duck

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/analyzerhq/analyzer/apperr"
)

const (
	formatCSV     = "csv"
	formatParquet = "parquet"
)

var parquetMagic = []byte("PAR1")

// sniffed is what the first and last bytes of an upload say about it.
type sniffed struct {
	format   string
	encoding string // CSV only: what the text is read as (encUTF8, ...)
	// scan is the CSV's one pass: lines, UTF-8 validity, NUL bytes.
	scan textScan
}

// headSize is how much of the file the checks below look at.
const headSize = 64 << 10

// detectFormat decides from the content, not only from the user's file
// name, what an upload is. pre, when not nil, is the text pass done while
// the file arrived (used when it saw this very file). A Parquet file named .csv is read as Parquet; a
// text file named .parquet, a ZIP, a gzip or binary junk is refused in plain
// words.
func detectFormat(ctx context.Context, path, filename string, pre *Prescan) (sniffed, error) {
	ext := strings.ToLower(filepath.Ext(filename))
	switch ext {
	case ".csv", ".parquet", ".pq":
	default:
		return sniffed{}, apperr.New(apperr.Unsupported, "only .csv, .parquet and .pq files are accepted")
	}
	f, err := os.Open(path)
	if err != nil {
		return sniffed{}, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return sniffed{}, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	size := st.Size()
	if size == 0 {
		return sniffed{}, apperr.New(apperr.Invalid, "the file is empty")
	}
	head := make([]byte, min(size, headSize))
	if _, err := io.ReadFull(f, head); err != nil {
		return sniffed{}, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	tail := make([]byte, 4)
	if size >= 8 {
		if _, err := f.ReadAt(tail, size-4); err != nil {
			return sniffed{}, apperr.Wrap(apperr.Internal, "internal error", err)
		}
	}

	if bytes.HasPrefix(head, parquetMagic) {
		if size < 12 || !bytes.Equal(tail, parquetMagic) {
			return sniffed{}, apperr.New(apperr.Invalid, "the Parquet file is incomplete or damaged (its footer is missing)")
		}
		return sniffed{format: formatParquet}, nil
	}
	if kind := binaryKind(head); kind != "" {
		return sniffed{}, apperr.New(apperr.Invalid, "the file is "+kind+", not CSV text or Parquet")
	}
	if ext != ".csv" {
		return sniffed{}, apperr.New(apperr.Invalid, "the file is named "+ext+" but is not a Parquet file")
	}
	enc, err := textEncoding(head, size <= headSize)
	if err != nil {
		return sniffed{}, err
	}
	ts, ok := pre.result(size, enc)
	if !ok {
		ts, err = scanText(ctx, f, enc != encUTF8)
	}
	if err != nil {
		if ctx.Err() != nil {
			return sniffed{}, ctxError(ctx.Err())
		}
		return sniffed{}, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	if ts.lines.tooLong > 0 {
		return sniffed{}, apperr.Newf(apperr.Invalid,
			"line %d is longer than %d MB, the longest line a CSV file may have; is it really a CSV file with one row per line?",
			ts.lines.tooLong, MaxCSVLineBytes>>20)
	}
	if ts.nul > binaryMinBytes && ts.nul*100 > size {
		return sniffed{}, apperr.New(apperr.Invalid, "the file contains binary data, not CSV text (more than 1% of its bytes are zero)")
	}
	if enc == encUTF8 && ts.singleByte() {
		enc = encWindows1252 // reported as Latin-1 if no byte needs Windows-1252
	}
	return sniffed{format: formatCSV, encoding: enc, scan: ts}, nil
}

// HeadBytes is how much of the start of an upload CheckHead looks at.
const HeadBytes = headSize

// CheckHead refuses, from the first HeadBytes of an upload (all of it if
// shorter), a file that Ingest would refuse for what it is: a ZIP, gzip,
// PDF or other known binary format, binary junk, or text named .parquet.
// The server calls it as soon as those bytes have arrived, so that a
// wrong file is not received whole first; the reasons are Ingest's own.
func CheckHead(filename string, head []byte) error {
	head = head[:min(len(head), headSize)]
	if bytes.HasPrefix(head, parquetMagic) {
		return nil
	}
	if kind := binaryKind(head); kind != "" {
		return apperr.New(apperr.Invalid, "the file is "+kind+", not CSV text or Parquet")
	}
	if ext := strings.ToLower(filepath.Ext(filename)); ext != ".csv" {
		if ext == ".parquet" || ext == ".pq" {
			return apperr.New(apperr.Invalid, "the file is named "+ext+" but is not a Parquet file")
		}
		return nil // Ingest refuses the name itself
	}
	_, err := textEncoding(head, false)
	return err
}

// MaxCSVLineBytes is the longest physical line a CSV may have, in bytes
// (16 MiB). A longer line is refused before DuckDB reads the file: DuckDB
// would need buffers of twice the line for every thread and could take
// minutes to fail on it (a 200 MB line took over ten).
const MaxCSVLineBytes = 16 << 20

const (
	// duckLineSize is DuckDB's default max_line_size.
	duckLineSize = 2 << 20
	// longLineScan is how far a line longer than duckLineSize makes the
	// first read use a larger max_line_size (skipping DuckDB's slow
	// failing attempt). Huge fields further on are found by that attempt.
	longLineScan = 32 << 20
)

// binaryMinBytes: a text file may have this many control or NUL bytes
// whatever its size (unless they are over a tenth of a small file); beyond
// it, more than 1% of them means binary.
const binaryMinBytes = 8

// binaryKind names well-known non-text formats people upload by mistake.
func binaryKind(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "a ZIP archive (an Excel workbook is one: export it as CSV)"
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return "gzip-compressed (decompress it first)"
	case bytes.HasPrefix(head, []byte{0xd0, 0xcf, 0x11, 0xe0}):
		return "an old Excel or Office document (export it as CSV)"
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "a PDF document"
	case bytes.HasPrefix(head, []byte("SQLite format 3\x00")):
		return "a SQLite database"
	case bytes.HasPrefix(head, []byte("BZh")), bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}), bytes.HasPrefix(head, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return "compressed (decompress it first)"
	}
	return ""
}

// textEncoding recognises UTF-16 (by BOM, or by the zero bytes of
// mostly-ASCII UTF-16) and otherwise says UTF-8 (with or without BOM; the
// whole-file scan may then find it single-byte), and refuses binary
// content: more than 1% control characters or zero bytes. A few NUL bytes
// in text are removed at conversion. whole says head is the file.
func textEncoding(head []byte, whole bool) (string, error) {
	switch {
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}):
		return encUTF16LE, nil
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return encUTF16BE, nil
	}
	body := bytes.TrimPrefix(head, []byte{0xef, 0xbb, 0xbf})
	if whole && len(bytes.TrimSpace(body)) == 0 {
		return "", apperr.New(apperr.Invalid, "the file is empty")
	}
	if le, be := utf16Zeros(body); le || be {
		if be {
			return encUTF16BE, nil
		}
		return encUTF16LE, nil
	}
	controls := 0
	for _, c := range body {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f {
			controls++
		}
	}
	// Text has next to no control characters; random bytes have ~11%. A
	// small file is binary past 10% of them (one stray NUL is not enough).
	if controls*100 > len(body) && (controls > binaryMinBytes || controls >= 2 && controls*10 > len(body)) {
		return "", apperr.New(apperr.Invalid, "the file contains binary data, not CSV text")
	}
	return encUTF8, nil
}

// utf16Zeros spots BOM-less UTF-16 of mostly ASCII text: every other byte
// is zero.
func utf16Zeros(b []byte) (le, be bool) {
	n := len(b) &^ 1
	if n < 4 {
		return false, false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	return odd*10 >= half*9 && even*10 < half, even*10 >= half*9 && odd*10 < half
}
