package builtin

import (
	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
)

// "how many stations have a distance below 15", "how many days had rain",
// "how many records are there": a count of rows under conditions. The one
// word after "how many" may name what the rows are.

var rowWords = set("row", "rows", "record", "records", "entry", "entries", "item", "items", "line", "lines")

func matchCount(l *linked) *plan {
	if len(l.words) < 2 || l.words[0].w != "how" || l.words[1].w != "many" {
		return nil
	}
	l.use(0, 1)
	what := "rows"
	if len(l.words) > 2 {
		w := l.words[2]
		switch {
		case w.col != nil && w.col.isNumeric():
			return nil // "how many goals": a sum, not a count
		case w.col != nil || w.val != nil || w.isNum:
		default:
			what = w.w
			l.use(2)
		}
	}
	conds, ok := l.conditions(nil)
	if !ok {
		return nil
	}
	for _, w := range l.words {
		if w.col != nil && !w.used {
			return nil // a column named but not read
		}
	}
	w, wd := whereOf(conds)
	return &plan{
		desc: "the number of " + what + wd,
		sql:  "SELECT count(*) AS " + agent.QuoteIdent(what) + " FROM " + table + w,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No answer."
			}
			return bold(cellText(&column{}, r[0])) + " " + what + wd + "."
		},
	}
}
