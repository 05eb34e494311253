package duck

import (
	"database/sql"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// writeParquet runs query (a SELECT) in a plain DuckDB and writes it as a
// Parquet file, returning its bytes.
func writeParquet(tb testing.TB, query string) []byte {
	tb.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	path := filepath.Join(tb.TempDir(), "gen.parquet")
	if _, err := db.Exec("COPY (" + query + ") TO " + QuoteString(path) + " (FORMAT parquet)"); err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// patchNumRows rewrites FileMetaData.num_rows (field 3) in a Parquet
// footer, to build files whose footer lies.
func patchNumRows(tb testing.TB, file []byte, rows int64) []byte {
	tb.Helper()
	n := len(file)
	footerLen := int(binary.LittleEndian.Uint32(file[n-8 : n-4]))
	start := n - 8 - footerLen
	footer := file[start : n-8]
	r := &thriftReader{b: footer}
	lastID := int16(0)
	for {
		h := r.byte()
		if h == 0 {
			tb.Fatal("num_rows not found")
		}
		typ := h & 0x0f
		id := lastID + int16(h>>4)
		if h>>4 == 0 {
			id = int16(r.zigzag())
		}
		lastID = id
		if id == 3 && typ == 6 {
			from := r.pos
			r.zigzag()
			to := r.pos
			var buf [binary.MaxVarintLen64]byte
			k := binary.PutUvarint(buf[:], uint64((rows<<1)^(rows>>63)))
			nf := append(append(append([]byte{}, footer[:from]...), buf[:k]...), footer[to:]...)
			out := append(append([]byte{}, file[:start]...), nf...)
			out = binary.LittleEndian.AppendUint32(out, uint32(len(nf)))
			return append(out, "PAR1"...)
		}
		r.skip(typ)
	}
}

// thriftReader walks the Thrift compact protocol just enough to skip values.
type thriftReader struct {
	b   []byte
	pos int
}

func (r *thriftReader) byte() byte { c := r.b[r.pos]; r.pos++; return c }

func (r *thriftReader) uvarint() uint64 {
	v, k := binary.Uvarint(r.b[r.pos:])
	r.pos += k
	return v
}

func (r *thriftReader) zigzag() int64 { u := r.uvarint(); return int64(u>>1) ^ -int64(u&1) }

func (r *thriftReader) skip(typ byte) {
	switch typ {
	case 1, 2: // bool in a field header
	case 3:
		r.pos++
	case 4, 5, 6:
		r.uvarint()
	case 7:
		r.pos += 8
	case 8:
		r.pos += int(r.uvarint())
	case 9, 10:
		h := r.byte()
		size := int(h >> 4)
		if size == 15 {
			size = int(r.uvarint())
		}
		for i := 0; i < size; i++ {
			if h&0x0f == 1 || h&0x0f == 2 {
				r.pos++
				continue
			}
			r.skip(h & 0x0f)
		}
	case 11:
		size := int(r.uvarint())
		if size > 0 {
			kv := r.byte()
			for i := 0; i < size; i++ {
				r.skip(kv >> 4)
				r.skip(kv & 0x0f)
			}
		}
	case 12:
		for {
			h := r.byte()
			if h == 0 {
				return
			}
			if h>>4 == 0 {
				r.zigzag()
			}
			r.skip(h & 0x0f)
		}
	}
}
