package duck

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/uuid"
)

// prescanOf feeds b to a prescan in pieces whose sizes come from seed
// (1 byte up to a few blocks), as a receiver would.
func prescanOf(b []byte, seed uint64) *Prescan {
	p := newPrescan()
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for len(b) > 0 {
		var n int
		switch r.IntN(4) {
		case 0:
			n = 1 + r.IntN(7)
		case 1:
			n = 1 + r.IntN(headSize)
		default:
			n = 1 + r.IntN(3*scanBlock)
		}
		n = min(n, len(b))
		p.Write(b[:n])
		b = b[n:]
	}
	p.Close()
	return p
}

func scanFile(t testing.TB, b []byte) (textScan, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.csv")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	enc, err := textEncoding(b[:min(len(b), headSize)], len(b) <= headSize)
	if err != nil {
		return textScan{}, ""
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ts, err := scanText(context.Background(), f, enc != encUTF8)
	if err != nil {
		t.Fatal(err)
	}
	return ts, enc
}

func utf16le(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// The prescan finds what scanText finds on the file, however the bytes
// arrive: lines, comment lines, long and too-long lines, UTF-8 sequences
// cut between pieces, invalid bytes, NUL bytes, UTF-16.
func TestPrescanEqualsScanOfTheFile(t *testing.T) {
	rows := func(n int, row string) string { return "id,name\n" + strings.Repeat(row, n) }
	long := "a,b\n1," + strings.Repeat("x", duckLineSize+10) + "\n" + strings.Repeat("2,y\n", 20000)
	cases := []struct {
		name string
		data []byte
	}{
		{"ascii", []byte(rows(40000, "1,ada\n"))},
		{"multi-byte text", []byte(rows(30000, "2,São Paulo – 東京 🚀\n"))},
		{"invalid bytes", []byte(rows(30000, "3,caf\xe9 cr\xe8me\n"))},
		{"nul bytes", []byte(rows(30000, "4,ab\n") + strings.Repeat("4,a\x00b\n", 50))},
		{"comment lines", []byte(rows(20000, "# note\n5,x\n; other\n"))},
		{"crlf", []byte(rows(40000, "6,y\r\n"))},
		{"a long line at the start", []byte(long)},
		{"a line past the limit", []byte("a,b\n" + strings.Repeat("z", MaxCSVLineBytes+5) + "\n1,2\n")},
		{"no final newline", []byte(strings.TrimSuffix(rows(30000, "7,é\n"), "\n") + "\xc3")},
		{"utf-16", utf16le(rows(20000, "8,Zürich\r\n"))},
		{"exactly one block", bytes.Repeat([]byte("9,abcdefghijklmn\n"), scanBlock/17+1)[:scanBlock]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, enc := scanFile(t, tc.data)
			if enc == "" {
				t.Fatal("the case is not text")
			}
			for seed := range uint64(4) {
				got, ok := prescanOf(tc.data, seed).result(int64(len(tc.data)), enc)
				if !ok {
					t.Fatalf("seed %d: the prescan was not usable", seed)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("seed %d: prescan %+v, file scan %+v", seed, got, want)
				}
			}
		})
	}
}

// A prescan is used only for the very bytes it saw: not for a file of
// another length or encoding, not for a stream as short as the head (the
// file is then read whole anyway), and no prescan at all for Parquet or a
// name Ingest refuses.
func TestPrescanOnlyForTheBytesItSaw(t *testing.T) {
	data := []byte("id,v\n" + strings.Repeat("1,2\n", 50000))
	p := prescanOf(data, 1)
	if _, ok := p.result(int64(len(data)), encUTF8); !ok {
		t.Fatal("not usable for its own bytes")
	}
	if _, ok := p.result(int64(len(data))+1, encUTF8); ok {
		t.Error("used for a file of another length")
	}
	if _, ok := p.result(int64(len(data)), encUTF16LE); ok {
		t.Error("used for another encoding")
	}
	short := []byte("id,v\n1,2\n")
	if _, ok := prescanOf(short, 1).result(int64(len(short)), encUTF8); ok {
		t.Error("used for a stream no longer than the head")
	}
	open := newPrescan()
	open.Write(data)
	if _, ok := open.result(int64(len(data)), encUTF8); ok {
		t.Error("used before it was closed")
	}
	open.Close()
	if NewPrescan("a.csv", []byte("PAR1....")) != nil || NewPrescan("a.parquet", data) != nil || NewPrescan("a.txt", data) != nil {
		t.Error("a prescan for a file Ingest does not read as CSV text")
	}
	var none *Prescan
	none.Write(data)
	none.Close()
	if _, ok := none.result(int64(len(data)), encUTF8); ok {
		t.Error("a nil prescan gave a result")
	}
}

// Ingest with a prescan gives the same dataset as without one, and a
// prescan of other bytes is ignored, not believed: the file has Latin-1
// bytes, the other prescan saw none (believed, it would read the file as
// UTF-8).
func TestIngestWithPrescan(t *testing.T) {
	e := newTestEngine(t)
	data := []byte("city,n\n" + strings.Repeat("S\xe3o Paulo,1\nOslo,2\n", 20000))
	other := []byte("city,n\n" + strings.Repeat("Lima,3\n", 30000))
	ingest := func(pre *Prescan) *Dataset {
		ds, err := e.IngestWith(context.Background(), uuid.NewString(), writeUpload(t, data), "cities.csv", IngestOptions{Prescan: pre})
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	plain := ingest(nil)
	if plain.Encoding == encUTF8 {
		t.Fatalf("the Latin-1 file was read as %s", plain.Encoding)
	}
	pre := ingest(prescanOf(data, 3))
	wrong := ingest(prescanOf(other, 3))
	for _, ds := range []*Dataset{pre, wrong} {
		if ds.RowCount != plain.RowCount || ds.Encoding != plain.Encoding || !reflect.DeepEqual(ds.Columns, plain.Columns) {
			t.Errorf("got %d rows %s %v, want %d rows %s %v", ds.RowCount, ds.Encoding, ds.Columns, plain.RowCount, plain.Encoding, plain.Columns)
		}
	}
}

// detectFormat takes a prescan of the file's length and head as the scan
// of the file and does not read it again: given one that saw other bytes
// of that length, it says what those bytes say. (The receiver is trusted
// to hand over exactly what it wrote; this shows the prescan is used.)
func TestDetectFormatReadsThePrescan(t *testing.T) {
	head := "city,n\n" + strings.Repeat("Oslo,2\n", 20000)
	latin := []byte(head + strings.Repeat("S\xe3o Paulo,1\n", 100))
	clean := []byte(head + strings.Repeat("Sao Paulo,1\n", 100))
	path := writeUpload(t, latin)
	sn, err := detectFormat(context.Background(), path, "c.csv", nil)
	if err != nil || sn.encoding == encUTF8 {
		t.Fatalf("without a prescan: %q, %v", sn.encoding, err)
	}
	sn, err = detectFormat(context.Background(), path, "c.csv", prescanOf(clean, 5))
	if err != nil || sn.encoding != encUTF8 {
		t.Fatalf("with a prescan of clean bytes: %q, %v; the file was read again", sn.encoding, err)
	}
}

// FuzzPrescan: any bytes, cut anyhow, scan as the file does.
func FuzzPrescan(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"), uint64(0))
	f.Add([]byte("x,\xe2\x82\n\xac\x00;#\n"), uint64(7))
	f.Add([]byte("\xff\xfea\x00,\x00b\x00"), uint64(3))
	f.Fuzz(func(t *testing.T, b []byte, seed uint64) {
		if len(b) == 0 {
			return
		}
		// Repeat the input past the head, so that the prescan is used.
		data := bytes.Repeat(b, headSize/len(b)+2)
		want, enc := scanFile(t, data)
		if enc == "" {
			return
		}
		got, ok := prescanOf(data, seed).result(int64(len(data)), enc)
		if !ok {
			t.Fatal("not usable")
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("prescan %+v, file scan %+v", got, want)
		}
	})
}
