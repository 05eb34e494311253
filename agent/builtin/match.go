package builtin

import (
	"math"
	"strconv"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
)

// matchColumns finds the columns a question names and merges each mention
// into one token. Tried in order, at each position the longest span wins:
//
//  1. a quoted string equal to a column name (case-insensitive, or the same
//     words: "unit_price" for "Unit Price ($)");
//  2. question words equal to a column's words, singular and plural alike
//     ("unit prices"), or glued ("unitprice");
//  3. words that occur in exactly one column's name ("price" for
//     "Unit Price ($)" when no other column has "price" in it);
//  4. a word one typo away from exactly one column's name ("reveune").
//
// A mention that fits several columns equally well is marked ambiguous and
// the grammar refuses it, asking which one was meant.
func matchColumns(toks []token, cols []*column) []token {
	if len(cols) == 0 {
		return toks
	}
	maxWords := 1
	for _, c := range cols {
		maxWords = max(maxWords, len(c.words))
	}
	out := make([]token, 0, len(toks))
	for i := 0; i < len(toks); {
		t := toks[i]
		if t.quoted {
			if c := quotedColumn(t.raw, cols); c != nil {
				t.col, t.span = c, 1
			}
			out = append(out, t)
			i++
			continue
		}
		if !isWordTok(t) {
			out = append(out, t)
			i++
			continue
		}
		if m, n := longestSpan(toks, i, maxWords, allWords, cols, exactMatches); n > 0 {
			out = append(out, m)
			i += n
			continue
		}
		out = append(out, t)
		i++
	}
	// Partial and typo matches, for words the grammar has no use for.
	res := make([]token, 0, len(out))
	for i := 0; i < len(out); {
		t := out[i]
		if t.col != nil || t.amb != nil || !isWordTok(t) || isReserved(t.w) {
			res = append(res, t)
			i++
			continue
		}
		// Longest run of free words that sits inside exactly one name.
		if m, n := longestSpan(out, i, maxWords, freeWords, cols, partialMatches); n > 0 {
			res = append(res, m)
			i += n
			continue
		}
		if cands := typoMatches(t.s, cols); len(cands) > 0 {
			t.resolve(cands)
			t.span = 1
		}
		res = append(res, t)
		i++
	}
	return mergeSame(pickByNumber(res, cols))
}

// pickByNumber settles a mention several columns fit by a number of the
// question in the name of exactly one of them ("population … in 2006" of
// "Population 2011" and "Population 2006"; the linker's columnByNumber
// reads the question the same way): the number next to the mention first,
// else every such number of the question, all picking one column. The
// number is read as part of the column's name and dropped, so it never
// also becomes a filter. A number the data holds as a value is left alone.
func pickByNumber(toks []token, cols []*column) []token {
	drop := map[int]bool{}
	for i := range toks {
		t := &toks[i]
		if t.amb == nil {
			continue
		}
		pick := func(k int) *column {
			if k < 0 || k >= len(toks) {
				return nil
			}
			n := toks[k]
			if drop[k] || !n.isNum || n.col != nil || n.num != math.Trunc(n.num) || n.num < 0 ||
				heldValue(n.w, cols) {
				return nil
			}
			text := strconv.FormatFloat(n.num, 'f', -1, 64)
			var found *column
			for _, c := range t.amb {
				if namesAny(c.words, []string{text}) {
					if found != nil {
						return nil
					}
					found = c
				}
			}
			return found
		}
		found, at := pick(i-1), i-1
		if found == nil {
			found, at = pick(i+1), i+1
		}
		if found == nil {
			for k := range toks {
				c := pick(k)
				if c == nil {
					continue
				}
				if found != nil && c != found {
					found = nil
					break
				}
				found, at = c, k
			}
		}
		if found != nil {
			t.col, t.amb = found, nil
			drop[at] = true
		}
	}
	if len(drop) == 0 {
		return toks
	}
	out := toks[:0:0]
	for k, t := range toks {
		if !drop[k] {
			out = append(out, t)
		}
	}
	return out
}

// heldValue reports whether any of cols holds w as one of its known values.
func heldValue(w string, cols []*column) bool {
	for _, c := range cols {
		if _, ok := c.values[strings.ToLower(w)]; ok {
			return true
		}
	}
	return false
}

// longestSpan tries the runs of up to maxWords tokens starting at toks[i],
// longest first, and returns the first that ok accepts and find matches to
// some column, merged into one token, with its length (0 when none does).
func longestSpan(toks []token, i, maxWords int, ok func([]token) bool, cols []*column,
	find func([]token, []*column) []*column) (token, int) {
	for n := min(maxWords, len(toks)-i); n >= 1; n-- {
		span := toks[i : i+n]
		if !ok(span) {
			continue
		}
		if cands := find(span, cols); len(cands) > 0 {
			m := merge(span)
			m.resolve(cands)
			return m, n
		}
	}
	return token{}, 0
}

// resolve names the column of a mention, or marks it ambiguous between
// several.
func (t *token) resolve(cands []*column) {
	if len(cands) == 1 {
		t.col = cands[0]
	} else {
		t.amb = cands
	}
}

// mergeSame joins neighbouring tokens that name the same column ("unit"
// and a misspelt "prcie" both found Unit Price).
func mergeSame(ts []token) []token {
	out := ts[:0:0]
	for _, t := range ts {
		if n := len(out); n > 0 && t.col != nil && out[n-1].col == t.col && !t.quoted && !out[n-1].quoted {
			prev := out[n-1]
			m := merge([]token{prev, t})
			m.col, m.span = t.col, prev.span+t.span
			out[n-1] = m
			continue
		}
		out = append(out, t)
	}
	return out
}

func isWordTok(t token) bool {
	return !t.quoted && !t.isNum && t.op == "" && !t.punct && t.date == "" && t.w != ""
}

func allWords(ts []token) bool {
	for _, t := range ts {
		if !isWordTok(t) || t.col != nil || t.amb != nil {
			return false
		}
	}
	return true
}

// freeWords reports whether a span may be read as a partial column mention:
// plain words, none of which the grammar uses or treats as filler.
func freeWords(ts []token) bool {
	for _, t := range ts {
		if !isWordTok(t) || t.col != nil || t.amb != nil || isReserved(t.w) {
			return false
		}
	}
	return true
}

func merge(ts []token) token {
	raws := make([]string, len(ts))
	ws := make([]string, len(ts))
	ss := make([]string, len(ts))
	for i, t := range ts {
		raws[i], ws[i], ss[i] = t.raw, t.w, t.s
	}
	return token{raw: strings.Join(raws, " "), w: strings.Join(ws, " "), s: strings.Join(ss, " "), span: len(ts)}
}

func quotedColumn(s string, cols []*column) *column {
	for _, c := range cols {
		if c.Name == s {
			return c
		}
	}
	for _, c := range cols {
		if strings.EqualFold(c.Name, s) {
			return c
		}
	}
	words := nameWords(s)
	var found []*column
	for _, c := range cols {
		if len(words) > 0 && equalWords(c.words, words) {
			found = append(found, c)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return nil
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// exactMatches returns the columns whose whole name the span spells out.
// When several do ("Price" and "Price ($)"), the one whose name is written
// exactly so wins.
func exactMatches(span []token, cols []*column) []*column {
	words := make([]string, len(span))
	for i, t := range span {
		words[i] = t.s
	}
	flat := strings.Join(words, "")
	var found []*column
	for _, c := range cols {
		if len(c.words) == 0 {
			continue
		}
		if equalWords(c.words, words) || sameOrAbbrev(c.words, words) || (len(span) == 1 && len(c.words) > 1 && c.flat == flat) {
			found = append(found, c)
		}
	}
	if len(found) > 1 {
		raw := strings.ToLower(merge(span).raw)
		var exact []*column
		for _, c := range found {
			if strings.ToLower(c.Name) == raw {
				exact = append(exact, c)
			}
		}
		if len(exact) == 1 {
			return exact
		}
	}
	return found
}

// partialMatches returns the columns whose name contains the span's words
// in order (and the span is not the whole name: that was an exact match).
func partialMatches(span []token, cols []*column) []*column {
	var found []*column
	for _, c := range cols {
		if containsRun(c.words, span) {
			found = append(found, c)
		}
	}
	return found
}

func containsRun(words []string, span []token) bool {
	for i := 0; i+len(span) <= len(words); i++ {
		ok := true
		for j, t := range span {
			if words[i+j] != t.s {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// typoMatches returns the columns whose name, or one word of it, is one
// edit away from w (two for long words); short words are never corrected.
func typoMatches(w string, cols []*column) []*column {
	if len([]rune(w)) < 5 {
		return nil
	}
	limit := 1
	if len([]rune(w)) >= 9 {
		limit = 2
	}
	best := limit + 1
	var found []*column
	consider := func(c *column, target string) {
		if len([]rune(target)) < 4 {
			return
		}
		if strings.HasPrefix(w, target) && (w == target+"y" || w == target+"ly" || w == target+"ier" || w == target+"iest") {
			return // "windy" is a word of its own, not a typo of "wind"
		}
		d := agent.EditDistance(w, target, best)
		switch {
		case d < best:
			best = d
			found = []*column{c}
		case d == best && !containsCol(found, c):
			found = append(found, c)
		}
	}
	for _, c := range cols {
		consider(c, c.flat)
		if len(c.words) > 1 {
			for _, cw := range c.words {
				consider(c, cw)
			}
		}
	}
	if best > limit {
		return nil
	}
	return found
}
