package builtin

import (
	"strings"
	"unicode"

	"github.com/analyzerhq/analyzer/duck"
)

// A question often names what the whole table is about, the title of the
// page it came from: "how many of the songs in the 2008 ogae second chance
// contest were in english", "who won gold in the 1924 summer olympics".
// The words are in no cell and no column name, so they cannot be a
// condition, and declining for them leaves most such questions unanswered.
//
// A phrase is read as the table's subject only when it cannot be a
// condition the table could hold:
//   - it follows "in", "at", "during" or "of" and ends with a noun of an
//     event ("contest", "olympics", "election"; not a body, "house", which
//     cells write short, "Rep."), with
//     only unknown words, "of", "and" and one year between;
//   - none of its words, a year included, is in any cell or column name of
//     the table, and
//     every text column is indexed whole (else a word could be in a cell
//     the index does not hold);
//   - a year in it comes with a table that has no date or year column (a
//     year there would be a condition).
//
// The reading says so ("taking “in the 2008 ogae second chance contest” as
// what the whole table is about"), so the user sees what was set aside.

var titleNouns = set("contest", "competition", "championship", "olympics", "olympic", "games", "cup", "tournament",
	"election", "series", "league", "open", "invitational", "classic", "festival", "qualification", "census",
	"prix", "award", "race", "marathon", "rally", "tour", "event", "meet", "forum", "poll", "survey",
	"convention", "conference", "expo", "exhibition")

var titlePreps = set("in", "at", "during", "of")

// linkTitle reads the words of a phrase naming what the table is about
// (l.title), as the page's title would.
func (l *linked) linkTitle() {
	for i := 0; i+1 < len(l.words); i++ {
		if !titlePreps[l.words[i].w] || l.words[i].col != nil || l.words[i].val != nil {
			continue
		}
		j := i + 1
		if l.words[j].w == "the" || l.words[j].w == "this" {
			j++
		}
		end, years := -1, 0
		for k := j; k < len(l.words); k++ {
			w := l.words[k]
			if w.col != nil || w.val != nil || w.held != nil || w.numCol != nil || knownWord(w.w) || cmpWordsL[w.w] != "" {
				break
			}
			if w.isNum {
				if !yearNum(w.num) || w.decade || years > 0 {
					break
				}
				years++
				continue
			}
			if stopWords[w.w] && w.w != "of" && w.w != "and" {
				break
			}
			if titleNouns[w.s] || titleNouns[w.w] {
				end = k
			}
		}
		if end < 0 || !l.titleUnknown(j, end+1, years > 0) {
			continue
		}
		for k := i; k <= end; k++ {
			l.words[k].filler = true
			l.words[k].date = nil
		}
		l.title = l.q[l.words[i].start:l.words[end].end]
		return
	}
}

// titleUnknown reports whether the words [from, to) are nowhere in the
// table: in no cell of a table indexed whole, in no column name.
func (l *linked) titleUnknown(from, to int, year bool) bool {
	if l.idx == nil {
		return false
	}
	if year {
		if l.s.dateColumn() != nil || l.s.yearColumn() != nil {
			return false
		}
	}
	indexed := map[string]bool{}
	for _, c := range l.idx.Columns {
		if !c.Complete {
			return false
		}
		indexed[c.Name] = true
	}
	want := map[string]bool{}
	for k := from; k < to; k++ {
		if w := l.words[k]; w.isNum || !stopWords[w.w] {
			want[w.s] = true // a year in a cell ("Berlin 1936") is a condition
		}
	}
	for _, c := range l.s.cols {
		if !c.isNumeric() && c.kind != duck.KindTemporal && !indexed[c.Name] {
			return false
		}
		for _, w := range c.words {
			if want[w] {
				return false
			}
		}
	}
	for _, c := range l.idx.Columns {
		for _, v := range c.Values {
			text, _ := v.Value.(string)
			for _, t := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
				return !unicode.IsLetter(r) && !unicode.IsDigit(r)
			}) {
				if want[singular(t)] || want[t] {
					return false
				}
			}
		}
	}
	return true
}
