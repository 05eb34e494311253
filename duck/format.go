package duck

import (
	"bytes"
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
func detectFormat(path, filename string) (sniffed, error) {
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
	long, err := hasLongLine(f, longLineScan)
	if err != nil {
		return sniffed{}, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	return sniffed{format: formatCSV, encoding: enc, longLines: long}, nil
}

const (
	// duckLineSize is DuckDB's default max_line_size.
	duckLineSize = 2 << 20
	// longLineScan is how much of a CSV hasLongLine reads (a few ms): a
	// file with a huge field there skips DuckDB's slow failing attempt.
	// Huge fields further on are found by that attempt instead.
	longLineScan = 32 << 20
)

// hasLongLine reports whether the first limit bytes of f hold a physical
// line longer than DuckDB's default limit. A quoted field with newlines
// only makes physical lines shorter, so this never misses a long one.
func hasLongLine(f *os.File, limit int64) (bool, error) {
	buf := make([]byte, 1<<20)
	run := 0
	for off := int64(0); off < limit; {
		n, err := f.ReadAt(buf, off)
		chunk := buf[:n]
		for len(chunk) > 0 {
			i := bytes.IndexByte(chunk, '\n')
			if i < 0 {
				run += len(chunk)
				break
			}
			if run+i > duckLineSize {
				return true, nil
			}
			run = 0
			chunk = chunk[i+1:]
		}
		if run > duckLineSize {
			return true, nil
		}
		off += int64(n)
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
	return false, nil
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
