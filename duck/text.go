package duck

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"unicode/utf16"
	"unicode/utf8"
)

// Encodings, as Dataset.Encoding names them. DuckDB only ever reads UTF-8:
// everything else is converted once, before it sees the file.
const (
	encUTF8        = "utf-8"
	encUTF16LE     = "utf-16le"
	encUTF16BE     = "utf-16be"
	encWindows1252 = "windows-1252"
	encLatin1      = "latin-1" // ISO-8859-1: single-byte text with no byte in 0x80-0x9F
)

// textScan is what the one pass over a CSV file before DuckDB found.
type textScan struct {
	lines lineCounter
	// UTF-8 statistics (not gathered for UTF-16 files).
	invalid   int64 // bytes that are not part of a valid UTF-8 sequence
	multibyte int64 // valid multi-byte UTF-8 sequences
	nul       int64 // NUL bytes
}

// lineCounter follows physical lines through a stream of bytes: their
// length (for MaxCSVLineBytes) and the lines that start with a comment
// character DuckDB's sniffer may choose.
type lineCounter struct {
	line    int64 // 1-based number of the current line
	run     int   // bytes of the current line seen so far
	off     int64 // bytes seen
	started bool  // the current line has at least one byte
	// start is the offset of the current line's first byte: where a line
	// starts, not how the stream was cut into chunks, decides long, so
	// that every way of reading the same bytes finds the same lines.
	start   int64
	long    bool  // a line starting within longLineScan is longer than duckLineSize
	tooLong int64 // 1-based number of the first line over MaxCSVLineBytes, or 0
	// comment counts, per candidate character, the lines that start with
	// it; commentAt keeps the first line numbers.
	comment   [2]int64
	commentAt [2][]int64
}

// commentChars are the comment characters DuckDB's sniffer considers.
var commentChars = [2]byte{'#', ';'}

const commentLinesKept = 1024

func (c *lineCounter) startLine(b byte) {
	for i, ch := range commentChars {
		if b == ch {
			c.comment[i]++
			if len(c.commentAt[i]) < commentLinesKept {
				c.commentAt[i] = append(c.commentAt[i], c.line)
			}
		}
	}
}

// feed follows the lines of the next bytes of the stream. It returns false
// once a line is longer than MaxCSVLineBytes.
func (c *lineCounter) feed(chunk []byte) bool {
	if c.line == 0 {
		c.line = 1
	}
	base := c.off
	c.off += int64(len(chunk))
	for pos := 0; pos < len(chunk); {
		if !c.started {
			c.started = true
			c.start = base + int64(pos)
			c.startLine(chunk[pos])
		}
		i := bytes.IndexByte(chunk[pos:], '\n')
		if i < 0 {
			c.run += len(chunk) - pos
			break
		}
		c.run += i
		if !c.endLine() {
			return false
		}
		c.run = 0
		c.line++
		c.started = false
		pos += i + 1
	}
	return c.endLine()
}

func (c *lineCounter) endLine() bool {
	if c.run > duckLineSize && c.start < longLineScan {
		c.long = true
	}
	if c.run > MaxCSVLineBytes {
		c.tooLong = c.line
		return false
	}
	return true
}

// scanText reads the whole file once (a fraction of a second per GB from
// the page cache) for its physical lines (longer than DuckDB's default
// limit, longer than MaxCSVLineBytes, starting with a comment character)
// and, unless utf16 is set, how valid UTF-8 it is and how many NUL bytes
// it has. A quoted field with newlines only makes physical lines shorter
// than logical ones, so this never misses a line DuckDB would find too
// long.
func scanText(ctx context.Context, f *os.File, utf16 bool) (textScan, error) {
	sc := blockScanner{utf16: utf16}
	buf := make([]byte, carryMax+scanBlock)
	for off := int64(0); ; {
		if err := ctx.Err(); err != nil {
			return sc.ts, err
		}
		n, err := f.ReadAt(buf[carryMax:], off)
		off += int64(n)
		sc.scan(buf, n, err != nil)
		if sc.stop || err == io.EOF {
			return sc.ts, nil
		}
		if err != nil {
			return sc.ts, err
		}
	}
}

const (
	// scanBlock is how much of a file scanText reads at a time.
	scanBlock = 1 << 20
	// carryMax is the most bytes of a UTF-8 sequence a block can end
	// with and the next one complete; a block buffer keeps that much room
	// in front of its bytes.
	carryMax = utf8.UTFMax - 1
)

// blockScanner is the text pass over a stream of blocks of any size; the
// same bytes give the same textScan however they are cut.
type blockScanner struct {
	ts    textScan
	utf16 bool // lines only: the UTF-8 checks do not apply
	tail  [carryMax]byte
	ntail int  // bytes of an incomplete sequence kept from the last block
	stop  bool // a line is over MaxCSVLineBytes: the rest need not be read
}

// scan takes the next n bytes of the stream, which are buf[carryMax:
// carryMax+n] (buf's first carryMax bytes are scratch room); last says no
// bytes follow, so an incomplete sequence at the end is invalid.
func (s *blockScanner) scan(buf []byte, n int, last bool) {
	if s.stop {
		return
	}
	if !s.ts.lines.feed(buf[carryMax : carryMax+n]) {
		s.stop = true
		return
	}
	if s.utf16 {
		return
	}
	copy(buf[carryMax-s.ntail:carryMax], s.tail[:s.ntail])
	data := buf[carryMax-s.ntail : carryMax+n]
	keep := 0
	if !last {
		keep = incompleteTail(data)
	}
	s.ts.addUTF8(data[:len(data)-keep])
	s.ntail = copy(s.tail[:], data[len(data)-keep:])
}

// incompleteTail is the length of a UTF-8 sequence cut at the end of b.
func incompleteTail(b []byte) int {
	for i := 1; i < utf8.UTFMax && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return 0
		}
		if c >= 0xc0 { // a lead byte
			if utf8.FullRune(b[len(b)-i:]) {
				return 0
			}
			return i
		}
	}
	return 0
}

func (ts *textScan) addUTF8(b []byte) {
	if plainASCII(b) {
		return
	}
	if bytes.IndexByte(b, 0) >= 0 {
		ts.nul += int64(bytes.Count(b, []byte{0}))
	}
	if utf8.Valid(b) {
		if !isASCII(b) {
			for _, c := range b {
				if c >= 0xc0 { // a lead byte: one sequence
					ts.multibyte++
				}
			}
		}
		return
	}
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			ts.invalid++
		} else {
			ts.multibyte++
		}
		b = b[size:]
	}
}

// plainASCII says b is ASCII without NUL bytes, reading words, not bytes:
// most CSV files are, and this pass must stay a small part of an upload.
func plainASCII(b []byte) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	var high, zero uint64
	// 32 bytes a turn, in four independent words: about twice as fast as
	// one word a turn (BenchmarkPlainASCII), and this reads every byte of
	// every CSV before DuckDB does.
	for len(b) >= 32 {
		v0 := binary.LittleEndian.Uint64(b)
		v1 := binary.LittleEndian.Uint64(b[8:])
		v2 := binary.LittleEndian.Uint64(b[16:])
		v3 := binary.LittleEndian.Uint64(b[24:])
		high |= v0 | v1 | v2 | v3
		zero |= (v0-lo)&^v0 | (v1-lo)&^v1 | (v2-lo)&^v2 | (v3-lo)&^v3
		b = b[32:]
	}
	for len(b) >= 8 {
		v := binary.LittleEndian.Uint64(b)
		high |= v
		zero |= (v - lo) &^ v // a zero byte sets its high bit here
		b = b[8:]
	}
	for _, c := range b {
		if c == 0 || c >= utf8.RuneSelf {
			return false
		}
	}
	return (high|zero)&hi == 0
}

// isASCII is plainASCII allowing NUL bytes.
func isASCII(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// singleByte says whether text that is not valid UTF-8 is better read as a
// single-byte encoding: only when invalid bytes outnumber valid multi-byte
// sequences. A file that is mostly UTF-8 with a few bad bytes stays UTF-8,
// with those bytes replaced.
func (ts *textScan) singleByte() bool { return ts.invalid > ts.multibyte }

// needsConversion: DuckDB would not read the file as it is, or would keep
// NUL bytes in values.
func (ts *textScan) needsConversion(enc string) bool {
	return enc != encUTF8 || ts.invalid > 0 || ts.nul > 0
}

// transcoded is what converting a file to clean UTF-8 did.
type transcoded struct {
	encoding string // what the source was read as
	replaced int64  // bytes (or UTF-16 units) that were invalid, now U+FFFD
	nul      int64  // NUL characters removed
	lines    lineCounter
}

// transcode writes src as UTF-8 to dst, read as enc (encUTF8 replaces
// invalid bytes with U+FFFD; encWindows1252 also covers Latin-1), without
// a byte order mark and without NUL characters. It reports Latin-1 for a
// Windows-1252 file that has no byte in 0x80-0x9F, where the two agree.
func transcode(ctx context.Context, src, dst, enc string) (transcoded, error) {
	res := transcoded{encoding: enc}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return res, err
	}
	in, err := os.Open(src)
	if err != nil {
		return res, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return res, err
	}
	w := &lineWriter{w: bufio.NewWriterSize(out, 1<<20), lines: &res.lines}
	br := bufio.NewReaderSize(in, 1<<20)
	c1 := false
	switch enc {
	case encUTF16LE, encUTF16BE:
		err = decodeUTF16(ctx, br, w, enc == encUTF16BE, &res)
	case encWindows1252:
		err = decodeBytes(ctx, br, w, &res, func(b byte) rune {
			if b >= 0x80 && b < 0xa0 {
				c1 = true
				return cp1252[b-0x80]
			}
			return rune(b)
		})
		if !c1 {
			res.encoding = encLatin1
		}
	default:
		err = decodeUTF8(ctx, br, w, &res)
	}
	if ferr := w.flush(); err == nil {
		err = ferr
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return res, err
}

// cp1252 maps bytes 0x80-0x9F of Windows-1252; the five it leaves
// undefined keep their Latin-1 (C1 control) meaning, as browsers do.
var cp1252 = [32]rune{
	0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
	0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
}

// lineWriter is the output of a conversion: it follows the lines written.
type lineWriter struct {
	w     *bufio.Writer
	lines *lineCounter
	buf   [4 << 10]byte
	n     int
}

func (lw *lineWriter) writeRune(r rune) {
	if lw.n+utf8.UTFMax > len(lw.buf) {
		lw.spill()
	}
	lw.n += utf8.EncodeRune(lw.buf[lw.n:], r)
}

func (lw *lineWriter) spill() {
	if lw.n > 0 {
		lw.lines.feed(lw.buf[:lw.n])
		lw.w.Write(lw.buf[:lw.n])
		lw.n = 0
	}
}

func (lw *lineWriter) flush() error {
	lw.spill()
	return lw.w.Flush()
}

func decodeBytes(ctx context.Context, br *bufio.Reader, w *lineWriter, res *transcoded, m func(byte) rune) error {
	for i := 0; ; i++ {
		if i&(1<<20-1) == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		b, err := br.ReadByte()
		if err != nil {
			return eofOK(err)
		}
		switch {
		case b == 0:
			res.nul++
		case b < utf8.RuneSelf:
			w.writeRune(rune(b))
		default:
			w.writeRune(m(b))
		}
	}
}

func decodeUTF8(ctx context.Context, br *bufio.Reader, w *lineWriter, res *transcoded) error {
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte{0xef, 0xbb, 0xbf}) {
		br.Discard(3)
	}
	for i := 0; ; i++ {
		if i&(1<<20-1) == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		r, size, err := br.ReadRune()
		if err != nil {
			return eofOK(err)
		}
		switch {
		case r == 0:
			res.nul++
		case r == utf8.RuneError && size == 1:
			res.replaced++
			w.writeRune(r)
		default:
			w.writeRune(r)
		}
	}
}

// decodeUTF16 reads UTF-16 (byte order mark optional); unpaired
// surrogates become U+FFFD.
func decodeUTF16(ctx context.Context, br *bufio.Reader, w *lineWriter, be bool, res *transcoded) error {
	var pair [2]byte
	var high rune = -1
	first := true
	for i := 0; ; i++ {
		if i&(1<<20-1) == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if _, err := io.ReadFull(br, pair[:]); err != nil {
			if high >= 0 {
				res.replaced++
				w.writeRune(utf8.RuneError)
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				res.replaced++ // a lone last byte
				w.writeRune(utf8.RuneError)
			}
			return eofOK(err)
		}
		u := rune(pair[1])<<8 | rune(pair[0])
		if be {
			u = rune(pair[0])<<8 | rune(pair[1])
		}
		if first {
			first = false
			if u == 0xfeff {
				continue
			}
		}
		switch {
		case high >= 0 && u >= 0xdc00 && u < 0xe000:
			w.writeRune(utf16.DecodeRune(high, u))
			high = -1
			continue
		case high >= 0:
			res.replaced++
			w.writeRune(utf8.RuneError)
			high = -1
		}
		switch {
		case u >= 0xd800 && u < 0xdc00:
			high = u
		case u >= 0xdc00 && u < 0xe000:
			res.replaced++
			w.writeRune(utf8.RuneError)
		case u == 0:
			res.nul++
		default:
			w.writeRune(u)
		}
	}
}

func eofOK(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return nil
	}
	return err
}
