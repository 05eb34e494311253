package duck

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/analyzerhq/analyzer/apperr"
)

const (
	formatCSV     = "csv"
	formatParquet = "parquet"

	encUTF8    = "utf-8"
	encUTF16LE = "utf-16"   // DuckDB's name; it reads little-endian
	encUTF16BE = "utf-16be" // not read by DuckDB: transcoded first
	encLatin1  = "latin-1"
)

var parquetMagic = []byte("PAR1")

// sniffed is what the first and last bytes of an upload say about it.
type sniffed struct {
	format   string
	encoding string // CSV only
	// longLines: the start of the CSV has a line longer than DuckDB's
	// default max_line_size, so the first read uses a larger one.
	longLines bool
}

// headSize is how much of the file the checks below look at.
const headSize = 64 << 10

// detectFormat decides from the content, not only from the user's file
// name, what an upload is. A Parquet file named .csv is read as Parquet; a
// text file named .parquet, a ZIP, a gzip or binary junk is refused in plain
// words.
func detectFormat(ctx context.Context, path, filename string) (sniffed, error) {
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
	ls, err := scanLines(ctx, f)
	if err != nil {
		if ctx.Err() != nil {
			return sniffed{}, ctxError(ctx.Err())
		}
		return sniffed{}, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	if ls.tooLong > 0 {
		return sniffed{}, apperr.Newf(apperr.Invalid,
			"line %d is longer than %d MB, the longest line a CSV file may have; is it really a CSV file with one row per line?",
			ls.tooLong, MaxCSVLineBytes>>20)
	}
	return sniffed{format: formatCSV, encoding: enc, longLines: ls.long}, nil
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

// lineScan is what scanLines found.
type lineScan struct {
	long    bool  // a line within longLineScan is longer than duckLineSize
	tooLong int64 // 1-based number of the first line over MaxCSVLineBytes, or 0
}

// scanLines reads the whole file once (a fraction of a second per GB from
// the page cache) for physical lines longer than DuckDB's default limit
// and longer than MaxCSVLineBytes. A quoted field with newlines only makes
// physical lines shorter than logical ones, so this never misses a line
// DuckDB would find too long.
func scanLines(ctx context.Context, f *os.File) (lineScan, error) {
	var ls lineScan
	buf := make([]byte, 1<<20)
	run := 0
	line := int64(1)
	for off := int64(0); ; {
		if err := ctx.Err(); err != nil {
			return ls, err
		}
		n, err := f.ReadAt(buf, off)
		chunk := buf[:n]
		for len(chunk) > 0 {
			i := bytes.IndexByte(chunk, '\n')
			if i < 0 {
				run += len(chunk)
				break
			}
			run += i
			if run > duckLineSize && off < longLineScan {
				ls.long = true
			}
			if run > MaxCSVLineBytes {
				ls.tooLong = line
				return ls, nil
			}
			run = 0
			line++
			chunk = chunk[i+1:]
		}
		if run > duckLineSize && off < longLineScan {
			ls.long = true
		}
		if run > MaxCSVLineBytes {
			ls.tooLong = line
			return ls, nil
		}
		off += int64(n)
		if err == io.EOF {
			return ls, nil
		}
		if err != nil {
			return ls, err
		}
	}
}

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

// textEncoding recognises UTF-8 (with or without BOM), UTF-16 (by BOM, or
// by the zero bytes of mostly-ASCII UTF-16LE) and Latin-1 (text that is not
// valid UTF-8), and refuses binary content. whole says head is the file.
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
	// Text has next to no control characters; random bytes have ~11%.
	if controls > 0 && controls*100 > len(body) || bytes.IndexByte(body, 0) >= 0 {
		return "", apperr.New(apperr.Invalid, "the file contains binary data, not CSV text")
	}
	if !validUTF8Prefix(body, whole) {
		return encLatin1, nil
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

// validUTF8Prefix checks b, forgiving a rune cut at the end of a partial head.
func validUTF8Prefix(b []byte, whole bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if whole {
		return false
	}
	for cut := 1; cut < utf8.UTFMax && cut < len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			return true
		}
	}
	return false
}
