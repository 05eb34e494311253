package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// "how many times did V appear", "how many times was V listed", "how many
// times did V win" (V in a column of winners), "how many times did they
// play V": the rows whose cell of the column holding V is V.

// timesVerbs say that V is in a row, nothing more.
var timesVerbs = set("appear", "appears", "appeared", "listed", "occur", "occurs", "occurred", "mentioned", "shown",
	"show", "up", "play", "played", "against", "face", "faced", "meet", "met", "compete", "competed", "been", "come",
	"came", "on", "chart", "list", "table", "does", "do", "did", "was", "were", "is", "has", "have", "had", "they", "the")

func matchTimes(l *linked) *plan {
	n := len(l.words)
	if n < 4 || l.words[0].w != "how" || l.words[1].w != "many" || l.words[2].w != "times" || len(l.vals) != 1 {
		return nil
	}
	v := l.vals[0]
	if v.col == nil || len(v.values) == 0 {
		return nil
	}
	l.use(0, 1, 2)
	for i := v.from; i < v.to; i++ {
		l.use(i)
	}
	for i, w := range l.words {
		if w.col != nil || w.val != nil {
			continue
		}
		switch {
		case timesVerbs[w.w]:
			l.use(i)
		case winVerbs[w.w] && isWinnerColumn(v.col):
			l.use(i)
		}
	}
	for i, w := range l.words {
		if w.col == v.col && w.val == nil {
			l.use(i) // "how many times is V listed as opponent"
		}
	}
	var lits []string
	for _, x := range v.values {
		lits = append(lits, duck.QuoteString(x))
	}
	name := v.values[0]
	return &plan{
		desc: "the number of rows where " + v.col.Name + " is " + name,
		sql:  "SELECT count(*) AS times FROM " + table + " WHERE " + v.col.textExpr() + " IN (" + strings.Join(lits, ", ") + ")",
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No answer."
			}
			return bold(cellText(&column{}, r[0])) + " times: the rows where " + v.col.Name + " is " + name + "."
		},
	}
}
