package server

import (
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFilenameRunes bounds a download's name (before its extension): file
// systems take 255 bytes, and a name that long helps nobody.
const maxFilenameRunes = 120

// exportFilename is a download's name: "title - caption.ext", each part
// made safe for every file system, or "export.ext" when nothing is left.
func exportFilename(title, caption, ext string) string {
	parts := []string{}
	for _, p := range []string{title, caption} {
		if p = safeName(p); p != "" {
			parts = append(parts, p)
		}
	}
	name := strings.Join(parts, " - ")
	if utf8.RuneCountInString(name) > maxFilenameRunes {
		name = strings.TrimRight(string([]rune(name)[:maxFilenameRunes]), " .-")
	}
	if name == "" {
		name = "export"
	}
	return name + "." + ext
}

// safeName keeps a name's letters, digits, spaces and ordinary punctuation;
// path separators, characters Windows refuses, control characters and
// quotes become spaces; runs of spaces become one, and the ends lose
// spaces and dots (a leading dot hides a file, a trailing one Windows
// drops).
func safeName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || strings.ContainsRune(`<>:"/\|?*`+"`", r) || unicode.IsSpace(r) ||
			!unicode.IsPrint(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return strings.Trim(b.String(), " .")
}

// contentDisposition names an attachment for every browser: an ASCII
// fallback in filename and the UTF-8 name in filename* (RFC 6266, 5987).
func contentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' || r == ';':
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + extValue(name)
}

// extValue percent-encodes s as an RFC 5987 value: every byte but its
// attr-chars.
func extValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)) || strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// extOf is a file name's extension, including the dot.
func extOf(name string) string { return filepath.Ext(name) }
