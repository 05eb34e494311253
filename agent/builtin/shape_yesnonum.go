package builtin

import (
	"github.com/analyzerhq/analyzer/duck"
)

// "was the attendance for V more or less than 30,000?", "did V score more
// than 20 points?": one named row's number compared with a number of the
// question, answered Yes/No (or with the word of the pair that holds) and
// the row's value.

// rankWords name a rank or a position, better when smaller.
var rankWords = []string{"rank", "ranking", "position", "pos", "place", "placing", "seed", "finish", "standing"}

func matchYesNoNumber(l *linked) *plan {
	if len(l.words) < 5 || !yesNo[l.words[0].w] || len(l.vals) != 1 {
		return nil
	}
	v := l.vals[0]
	if v.col == nil || len(v.values) != 1 {
		return nil
	}
	key := v.col
	// The number: the one free number of the question, after "than" or a
	// word of above/below.
	ni := -1
	for i, w := range l.words {
		if w.isNum && w.val == nil && w.col == nil && w.date == nil {
			if ni >= 0 || w.decade || w.dur {
				return nil
			}
			ni = i
		}
	}
	if ni < 2 {
		return nil
	}
	// The comparison: one word, or a pair "more or less", just before the
	// number ("more than 30,000", "above 30,000", "more or less than").
	end := ni
	if l.words[end-1].w == "than" {
		end--
	}
	ci, pair := end-1, false
	if ci < 0 || !(moreWords[l.words[ci].w] || lessWords[l.words[ci].w]) {
		return nil
	}
	if ci >= 2 && l.words[ci-1].w == "or" && (moreWords[l.words[ci-2].w] || lessWords[l.words[ci-2].w]) &&
		moreWords[l.words[ci-2].w] != moreWords[l.words[ci].w] {
		ci, pair = ci-2, true
	}
	if end == ni && l.words[end-1].w != "above" && l.words[end-1].w != "below" && l.words[end-1].w != "over" &&
		l.words[end-1].w != "under" {
		return nil // "more 30,000": no comparison with the number
	}
	if ci < v.to {
		return nil // "was more than 30,000 V": not this shape
	}
	l.use(0, ni)
	for i := ci; i < ni; i++ {
		l.use(i)
	}
	for i := v.from; i < v.to; i++ {
		l.use(i)
	}
	// The measure: one numeric column named, or a noun for one.
	var m *column
	for i, w := range l.words {
		if w.col != nil && w.val == nil && w.col != key {
			if m != nil && m != w.col || !w.col.isNumeric() {
				return nil
			}
			m = w.col
			l.use(i)
		}
	}
	if m == nil {
		for i, w := range l.words {
			if names, ok := measureNouns[w.w]; ok && w.col == nil && w.val == nil {
				if m = l.s.columnNamed(names); m != nil {
					l.use(i)
					break
				}
			}
		}
	}
	if m == nil || m == key || namesAny(m.words, rankWords) {
		return nil // "was germany's rank higher than 5": a rank is better when smaller
	}
	for i, w := range l.words {
		if yesNoFillers[w.w] && w.col == nil && w.val == nil {
			l.use(i)
		}
	}
	name, num := v.values[0], l.words[ni].num
	first, second := l.words[ci].w, ""
	if pair {
		second = l.words[ci+2].w
	}
	numText := l.q[l.words[ni].start:l.words[ni].end]
	than := func(w string) string {
		if w == "above" || w == "below" || w == "over" || w == "under" {
			return w + " " + numText
		}
		return w + " than " + numText
	}
	return &plan{
		needRow: true,
		desc:    "whether " + m.Name + " of " + name + " is " + than(first),
		sql: "SELECT " + key.ident() + ", " + m.expr() + " AS " + m.ident() + " FROM " + table + " WHERE " +
			key.textExpr() + " = " + duck.QuoteString(name),
		say: func(res *duck.Result) string {
			if res == nil || len(res.Rows) != 1 {
				return name + " is not one row, so I list its rows rather than compare."
			}
			f, ok := duck.ToFloat(res.Rows[0][1])
			if !ok {
				return name + " has no " + m.Name + ", so I can't compare."
			}
			val := ": " + cellText(m, res.Rows[0][1]) + "."
			if f == num {
				if pair {
					return bold("Neither") + ": " + m.Name + " of " + name + " is exactly " + numText + "."
				}
				return bold("No") + ": " + m.Name + " of " + name + " is exactly " + numText + "."
			}
			holds := (f > num) == moreWords[first]
			switch {
			case pair && holds:
				return bold(first) + ": " + m.Name + " of " + name + " is " + than(first) + val
			case pair:
				return bold(second) + ": " + m.Name + " of " + name + " is " + than(second) + val
			case holds:
				return bold("Yes") + ", " + m.Name + " of " + name + " is " + than(first) + val
			}
			return bold("No") + ", " + m.Name + " of " + name + " is not " + than(first) + val
		},
	}
}
