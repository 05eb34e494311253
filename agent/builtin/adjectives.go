package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// "rainy days", "sunny days", "foggy days": an adjective made from a value
// of the data (rain, sun, fog) names that value. Only a word ending in -y
// whose stem one column holds as a whole value is read so; "windy" of a
// wind column stays unplaced (how windy is windy?).

func (l *linked) linkAdjectives(idx *duck.ValueIndex) {
	if idx == nil {
		return
	}
	for i := range l.words {
		w := &l.words[i]
		if w.col != nil || w.val != nil || w.date != nil || w.isNum || len(w.w) < 4 || !strings.HasSuffix(w.w, "y") {
			continue
		}
		stem := w.w[:len(w.w)-1]
		stems := []string{stem}
		if n := len(stem); n > 2 && stem[n-1] == stem[n-2] {
			stems = append(stems, stem[:n-1]) // "sunny", "foggy"
		}
		for _, st := range stems {
			var col *column
			var val string
			amb := false
			for _, m := range idx.Lookup(st) {
				if m.Span[0] != 0 || m.Span[1] != len(st) || !strings.EqualFold(m.Value, st) {
					continue
				}
				c := l.s.column(m.Column)
				if c == nil || col != nil && col != c {
					amb = true
					continue
				}
				col, val = c, m.Value
			}
			if col != nil && !amb && !l.s.namesColumn(st) {
				v := &valueLink{col: col, values: []string{val}, from: i, to: i + 1, byCol: map[*column][]string{col: {val}},
					cands: []*column{col}}
				l.vals = append(l.vals, v)
				w.val = v
				break
			}
		}
	}
}

// namesColumn reports whether w is a word of a column's name.
func (s *schema) namesColumn(w string) bool {
	for _, c := range s.cols {
		for _, cw := range c.words {
			if cw == w {
				return true
			}
		}
	}
	return false
}
