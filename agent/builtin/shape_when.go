package builtin

import (
	"github.com/analyzerhq/analyzer/duck"
)

// "when was the first snow", "when was the last day with fog in 2014": the
// earliest or latest date of the table's one date column among the rows
// the question's values name.

func matchWhen(l *linked) *plan {
	d := l.s.dateColumn()
	if d == nil || d.kind == duck.KindNumeric || len(l.words) < 3 || l.words[0].w != "when" || len(l.vals) == 0 {
		return nil
	}
	oi, dir := -1, 0
	for i, w := range l.words {
		if w.col != nil || w.val != nil {
			continue
		}
		switch w.w {
		case "first", "earliest":
			oi, dir = i, 1
		case "last", "latest", "most":
			if w.w == "most" && (i+1 >= len(l.words) || l.words[i+1].w != "recent") {
				continue
			}
			oi, dir = i, -1
			if w.w == "most" {
				l.use(i + 1)
			}
		}
		if oi >= 0 {
			break
		}
	}
	if oi < 0 {
		return nil
	}
	l.use(0, oi)
	for i, w := range l.words {
		if (w.s == "day" || w.s == "time" || w.w == "with" || w.w == "of") && w.col == nil && w.val == nil {
			l.use(i)
		}
		if w.col == d {
			l.use(i)
		}
	}
	conds, ok := l.conditions(nil)
	if !ok || len(conds) == 0 {
		return nil
	}
	for _, w := range l.words {
		if w.col != nil && !w.used {
			return nil
		}
	}
	wh, wd := whereOf(conds)
	fn, word := "min", "first"
	if dir < 0 {
		fn, word = "max", "last"
	}
	return &plan{
		desc: "the " + word + " " + d.Name + wd,
		sql:  "SELECT " + fn + "(" + d.expr() + ") AS " + duck.QuoteIdent(word+" "+d.Name) + " FROM " + table + wh,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil || r[0] == nil {
				return "No row" + wd + "."
			}
			return bold(cellText(d, r[0])) + " is the " + word + " " + d.Name + wd + "."
		},
	}
}
