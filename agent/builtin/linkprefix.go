package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// A question often names the first words of values rather than a whole
// one: "how many districts are there in virginia" of "Virginia 1" …
// "Virginia 22", "operas performed at the dresden" of "Dresden,
// Hoftheater". Words no column or value took are read as the values of
// the one column whose values begin with them, whole word by whole word;
// the condition is any of those values, so the values are listed in the
// reading. Two columns with such values, or none, leave the words unplaced.

// maxPrefixValues bounds the values one prefix may stand for.
const maxPrefixValues = 60

// placePreps put a value after them ("in virginia").
var placePreps = set("in", "at", "from", "of", "for", "by")

// wherePreps put a place after them ("in virginia", "at the dresden"): a
// prefix of several values of a column naming one row each is read only
// there. "for john", "by john" of "John Smith" and "John Doe" name a
// person, and not which one.
var wherePreps = set("in", "at", "from", "within", "across", "inside")

func (l *linked) linkPrefixes(idx *duck.ValueIndex) {
	if idx == nil {
		return
	}
	for i := 0; i < len(l.words); {
		n, col, vals := l.prefixAt(i, idx)
		if n == 0 {
			i++
			continue
		}
		v := &valueLink{col: col, values: vals, from: i, to: i + n, prefix: l.q[l.words[i].start:l.words[i+n-1].end]}
		if col != nil {
			v.byCol, v.cands = map[*column][]string{col: vals}, []*column{col}
			if i+n < len(l.words) && l.words[i+n].col == col && !l.afterWhich(i) && col.distinct < l.s.rows {
				// "a ford engine": the column's name after the words says
				// where they are read, and is part of the value named.
				l.words[i+n].col = nil
				v.to++
			}
		}
		l.vals = append(l.vals, v)
		for k := v.from; k < v.to; k++ {
			l.words[k].val = v
		}
		i = v.to
	}
	l.sortVals()
}

// sortVals puts the values in question order, as shapes read them.
func (l *linked) sortVals() {
	for a := 1; a < len(l.vals); a++ {
		for b := a; b > 0 && l.vals[b].from < l.vals[b-1].from; b-- {
			l.vals[b], l.vals[b-1] = l.vals[b-1], l.vals[b]
		}
	}
}

// prefixAt finds the longest run of free words from i that begins values
// of exactly one column: its length, the column and the values (the column
// nil when the values are rows of their own the words do not choose from).
func (l *linked) prefixAt(i int, idx *duck.ValueIndex) (int, *column, []string) {
	free := func(k int) bool {
		if k >= len(l.words) {
			return false
		}
		w := l.words[k]
		return w.col == nil && w.val == nil && !w.isNum && w.date == nil && !stopWords[w.w] &&
			!knownWord(w.w) && !relationVerbs[w.w] && !fillers[w.w] && !isReserved(w.w)
	}
	// "the deepest lake" of lakes named "Lake …": the rows' noun, no
	// filter; "in virginia" of districts named "Virginia 1" … still is.
	rowsNoun := l.nameNoun(l.words[i].s) && l.nounSlot(i)
	if !free(i) || len(l.words[i].w) < 4 || rowsNoun {
		return 0, nil, nil
	}
	end := i
	for end < len(l.words) && end < i+4 && free(end) {
		end++
	}
	for n := end - i; n >= 1; n-- {
		if n == 1 && l.askedSlot(i) {
			break // "what was the game made in 1993": the rows asked for, not "Game Boy"
		}
		var run []string
		for k := i; k < i+n; k++ {
			run = append(run, plainWords(l.words[k].w)...)
		}
		var col, next *column
		if i+n < len(l.words) && !l.afterWhich(i) {
			next = l.words[i+n].col
		}
		var vals []string
		ok, many := true, false
		for _, ic := range idx.Columns {
			c := l.s.column(ic.Name)
			if c == nil || c.kind != duck.KindText || c.isNotes() {
				continue
			}
			var got []string
			for _, vc := range ic.Values {
				s, isText := vc.Value.(string)
				if isText && startsWithWords(plainWords(s), run) {
					got = append(got, s)
				}
			}
			if len(got) == 0 {
				continue
			}
			if len(got) > maxPrefixValues {
				ok = false
				break
			}
			if col != nil {
				many = true
			}
			if col == nil || next == c {
				col, vals = c, got
			}
		}
		if many && (next == nil || col != next) {
			// "a ford engine" of Chassis "Ford GT40" and Engine "Ford
			// 7.0L V8": the column named after the words, else none.
			ok = false
		}
		if ok && col != nil && len(vals) > 1 && l.s.rows > 0 && col.distinct >= l.s.rows && !l.afterWherePrep(i) && !l.afterWhich(i) {
			// Several rows, each its own: the words name one of them, and
			// not which. Held by no column, no question reads them as a
			// condition, nor skips them as unread.
			return n, nil, vals
		}
		if ok && col != nil {
			return n, col, vals
		}
	}
	return 0, nil, nil
}

// afterWherePrep reports whether word i follows a place preposition, an
// article between them ("at the dresden").
func (l *linked) afterWherePrep(i int) bool {
	k := i - 1
	if k >= 0 && l.words[k].w == "the" {
		k--
	}
	return k >= 0 && wherePreps[l.words[k].w]
}

// askedSlot reports word i right after "what was the", "which is the": the
// noun of what is asked.
func (l *linked) askedSlot(i int) bool {
	return i >= 3 && l.words[i-1].w == "the" && (l.words[i-2].w == "is" || l.words[i-2].w == "was" ||
		l.words[i-2].w == "are" || l.words[i-2].w == "were") && (l.words[i-3].w == "what" || l.words[i-3].w == "which")
}

// afterWhich reports whether word i follows "which" or "what": "which
// boston team has the most titles" asks for one of the rows the prefix
// names, by a measure that picks it.
func (l *linked) afterWhich(i int) bool {
	return i >= 1 && (l.words[i-1].w == "which" || l.words[i-1].w == "what")
}

// notesWords name a column of remarks: sentences, whose first words
// ("Title awarded.") name nothing a question asks for.
var notesWords = set("note", "notes", "remark", "remarks", "comment", "comments", "description", "details", "summary")

func (c *column) isNotes() bool {
	return len(c.words) > 0 && notesWords[c.words[len(c.words)-1]]
}

// plainWords splits text into lower-case words of letters and digits.
func plainWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isWordRune(r) })
}

// startsWithWords reports whether value's words begin with run and go on
// (a whole value is the value index's to find).
func startsWithWords(value, run []string) bool {
	if len(value) <= len(run) {
		return false
	}
	for k, w := range run {
		if value[k] != w {
			return false
		}
	}
	return true
}

// label names a value in a reading: as stored, or the words a prefix
// stands for ("a value starting “virginia”"; how many values that is would
// be a figure no result shows).
func (v *valueLink) label() string {
	if v.listsItem() {
		return "a value listing “" + v.item + "”"
	}
	if v.code != "" {
		return "a value with the code “" + v.code + "”"
	}
	if v.outcome != "" {
		return "a " + v.outcome
	}
	if v.prefix == "" || len(v.values) == 1 {
		return v.values[0]
	}
	return "a value starting “" + v.prefix + "”"
}

// listsItem: the value is the cells listing one item, several of them.
func (v *valueLink) listsItem() bool { return v.item != "" && len(v.values) > 1 }

// phrase says what a condition on the value reads: "is Miami", "is not
// Miami", "lists “devaraj”" for an item of list cells.
func (v *valueLink) phrase(neg bool) string {
	switch {
	case v.listsItem() && neg:
		return "does not list “" + v.item + "”"
	case v.listsItem():
		return "lists “" + v.item + "”"
	case neg:
		return "is not " + v.label()
	}
	return "is " + v.label()
}
