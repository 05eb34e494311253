package duck

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// plainASCII agrees with a byte-by-byte check whatever the length and
// wherever the one NUL or high byte is (each of the four words of a turn,
// the 8-byte tail, the last bytes).
func TestPlainASCII(t *testing.T) {
	ref := func(b []byte) bool {
		for _, c := range b {
			if c == 0 || c >= utf8.RuneSelf {
				return false
			}
		}
		return true
	}
	for n := 0; n <= 80; n++ {
		clean := bytes.Repeat([]byte{'a'}, n)
		if !plainASCII(clean) {
			t.Fatalf("%d ASCII bytes refused", n)
		}
		for i := 0; i < n; i++ {
			for _, c := range []byte{0, 0x80, 0xff, 0xc3, 0x01, 0x7f} {
				b := bytes.Clone(clean)
				b[i] = c
				if got, want := plainASCII(b), ref(b); got != want {
					t.Fatalf("len %d, byte %#x at %d: %v, want %v", n, c, i, got, want)
				}
			}
		}
	}
}

func BenchmarkPlainASCII(b *testing.B) {
	buf := bytes.Repeat([]byte("12345,678,Home & Garden,\"Springfield, IL\",2021-03-04\n"), 1<<20/54)
	b.SetBytes(int64(len(buf)))
	for i := 0; i < b.N; i++ {
		if !plainASCII(buf) {
			b.Fatal("not ASCII")
		}
	}
}
