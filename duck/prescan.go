package duck

import (
	"bytes"
	"path/filepath"
	"strings"
)

// Prescan is Ingest's text pass over a CSV (lines, UTF-8 validity, NUL
// bytes; see scanText) done while the upload arrives, on a goroutine of
// its own, instead of reading the whole file again once it is on disk.
// That pass was the last thing between the end of the body and the start
// of DuckDB's conversion; now the receive and the scan share the time on
// two cores.
//
// The receiver writes it every byte it writes to the file, in order, then
// closes it, and passes it to Ingest (IngestOptions.Prescan). Ingest uses
// the result only when the prescan saw exactly the file's bytes (same
// length, same encoding from the same head) and otherwise scans the file
// as before, so a prescan never changes what an ingest decides.
type Prescan struct {
	blocks chan prescanBlock // to the scanner, in order
	free   chan []byte       // buffers the scanner is done with
	cur    []byte            // the block being filled by Write
	fill   int               // bytes of cur filled
	n      int64             // bytes written
	closed bool
	done   chan struct{} // closed once the scanner has finished

	// The scanner's, read only after done.
	started bool
	enc     string // the encoding the head says; "" when unusable
	sc      blockScanner
}

type prescanBlock struct {
	buf  []byte // carryMax bytes of room, then n bytes of the stream
	n    int
	last bool
}

// prescanBuffers is how many buffers (each about scanBlock bytes) a
// prescan has, made once and passed between Write and the scanner: when
// the scanner falls behind, Write waits for it. Nothing is allocated per
// block, so a gigabyte leaves no garbage behind.
const prescanBuffers = 4

// NewPrescan starts a prescan for an upload named filename whose first
// bytes are head, or returns nil when Ingest would not read it as CSV text
// (a Parquet file, another name): a nil *Prescan takes Write and Close and
// does nothing.
func NewPrescan(filename string, head []byte) *Prescan {
	if bytes.HasPrefix(head, parquetMagic) || strings.ToLower(filepath.Ext(filename)) != ".csv" {
		return nil
	}
	return newPrescan()
}

func newPrescan() *Prescan {
	p := &Prescan{
		blocks: make(chan prescanBlock, prescanBuffers+1), // the last, short block too
		free:   make(chan []byte, prescanBuffers),
		done:   make(chan struct{}),
	}
	for range prescanBuffers {
		p.free <- make([]byte, carryMax+scanBlock)
	}
	go p.run()
	return p
}

// Write hands over the next bytes of the stream (it copies them). It
// never fails.
func (p *Prescan) Write(b []byte) (int, error) {
	n := len(b)
	if p == nil {
		return n, nil
	}
	for len(b) > 0 {
		if p.cur == nil {
			p.cur, p.fill = p.buffer(), 0
		}
		c := copy(p.cur[carryMax+p.fill:], b)
		p.fill += c
		p.n += int64(c)
		b = b[c:]
		if p.fill == scanBlock {
			p.blocks <- prescanBlock{buf: p.cur, n: p.fill}
			p.cur = nil
		}
	}
	return n, nil
}

// Close ends the stream and waits for the scanner. It may be called more
// than once.
func (p *Prescan) Close() {
	if p == nil || p.closed {
		return
	}
	p.closed = true
	if p.cur == nil {
		p.cur, p.fill = make([]byte, carryMax), 0
	}
	p.blocks <- prescanBlock{buf: p.cur, n: p.fill, last: true}
	p.cur = nil
	close(p.blocks)
	<-p.done
}

// result is the scan of a closed prescan when it saw size bytes whose
// head says enc.
func (p *Prescan) result(size int64, enc string) (textScan, bool) {
	if p == nil || !p.closed || p.enc == "" || p.n != size || p.enc != enc {
		return textScan{}, false
	}
	return p.sc.ts, true
}

// buffer waits for a buffer the scanner is done with.
func (p *Prescan) buffer() []byte { return <-p.free }

func (p *Prescan) run() {
	defer close(p.done)
	for b := range p.blocks {
		p.take(b)
		if len(b.buf) == carryMax+scanBlock {
			p.free <- b.buf // never blocks: there are prescanBuffers of them
		}
	}
}

// take scans one block. The first decides the encoding as detectFormat
// does, from the first headSize bytes; a stream no longer than that is
// left to detectFormat, which reads such a file whole anyway.
func (p *Prescan) take(b prescanBlock) {
	if !p.started {
		p.started = true
		// Every block but the last is scanBlock bytes, more than headSize.
		if b.n <= headSize {
			return
		}
		enc, err := textEncoding(b.buf[carryMax:carryMax+headSize], false)
		if err != nil {
			return
		}
		p.enc = enc
		p.sc.utf16 = enc != encUTF8
	}
	if p.enc != "" {
		p.sc.scan(b.buf, b.n, b.last)
	}
}
