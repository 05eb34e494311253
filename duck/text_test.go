package duck

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestScanTextUTF8 checks the one pass's UTF-8 statistics, also for
// characters cut by its 1 MiB reads, and the decision they lead to.
func TestScanTextUTF8(t *testing.T) {
	pad := func(n int) []byte { return bytes.Repeat([]byte("a"), n) }
	cases := []struct {
		name             string
		content          []byte
		invalid, multi   int64
		nul              int64
		singleByte, conv bool
	}{
		{"ascii", []byte("a,b\n1,2\n"), 0, 0, 0, false, false},
		{"2-byte rune across reads", append(append(pad(1<<20-1), "é,x\n"...), pad(10)...), 0, 1, 0, false, false},
		{"3-byte rune across reads", append(append(pad(1<<20-2), "€,x\n"...), pad(10)...), 0, 1, 0, false, false},
		{"4-byte rune across reads", append(append(pad(1<<20-1), "😀,x\n"...), pad(10)...), 0, 1, 0, false, false},
		{"few bad bytes among utf-8", []byte("a\nZürich,Genève,Malmö\nBad\xff\n"), 1, 3, 0, false, true},
		{"latin-1", []byte("name\nJos\xe9\nZ\xfcrich\n"), 2, 0, 0, true, true},
		{"cut rune at the end", []byte("a\nb\xc3"), 1, 0, 0, true, true}, // no sign of UTF-8: single-byte
		{"stray NULs", []byte("a,b\n1,x\x00y\n2,\x00\n"), 0, 0, 2, false, true},
	}
	dir := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "f.csv")
			if err := os.WriteFile(p, tc.content, 0o600); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ts, err := scanText(context.Background(), f, false)
			if err != nil {
				t.Fatal(err)
			}
			if ts.invalid != tc.invalid || ts.multibyte != tc.multi || ts.nul != tc.nul {
				t.Errorf("invalid=%d multibyte=%d nul=%d, want %d %d %d", ts.invalid, ts.multibyte, ts.nul, tc.invalid, tc.multi, tc.nul)
			}
			if ts.singleByte() != tc.singleByte || ts.needsConversion(encUTF8) != tc.conv {
				t.Errorf("singleByte=%v needsConversion=%v", ts.singleByte(), ts.needsConversion(encUTF8))
			}
		})
	}
}

// TestTranscode converts each encoding once to clean UTF-8.
func TestTranscode(t *testing.T) {
	cases := []struct {
		name, enc     string
		in            []byte
		want, wantEnc string
		replaced, nul int64
	}{
		{"windows-1252", encWindows1252, []byte("a\nTransfer \x96 rent,Caf\xe9\n"), "a\nTransfer – rent,Café\n", encWindows1252, 0, 0},
		{"latin-1", encWindows1252, []byte("a\nZ\xfcrich\n"), "a\nZürich\n", encLatin1, 0, 0},
		{"utf-8 with a bad byte and a NUL", encUTF8, []byte("\xef\xbb\xbfa\nG\xc3\xa8\xffve\x00\n"), "a\nGè\uFFFDve\n", encUTF8, 1, 1},
		{"utf-16le", encUTF16LE, []byte("a\x00\n\x00\xe9\x00\n\x00"), "a\né\n", encUTF16LE, 0, 0},
		{"utf-16be bom, lone surrogate", encUTF16BE, []byte("\xfe\xff\x00a\xd8\x00\x00\n"), "a\uFFFD\n", encUTF16BE, 1, 0},
	}
	dir := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src, dst := filepath.Join(dir, "in"), filepath.Join(dir, "out")
			if err := os.WriteFile(src, tc.in, 0o600); err != nil {
				t.Fatal(err)
			}
			res, err := transcode(context.Background(), src, dst, tc.enc)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(dst)
			if string(got) != tc.want || res.encoding != tc.wantEnc || res.replaced != tc.replaced || res.nul != tc.nul {
				t.Errorf("got %q as %s (replaced %d, nul %d), want %q as %s (%d, %d)",
					got, res.encoding, res.replaced, res.nul, tc.want, tc.wantEnc, tc.replaced, tc.nul)
			}
		})
	}
}
