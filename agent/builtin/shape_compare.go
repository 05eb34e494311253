package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// "rain vs sun", "which is deeper, lake a or lake b", "who had more goals,
// ross jenkins or nigel gibbs": two or more values of one column, compared
// by a numeric column when one is named, else by their rows.

var compareWords = set("vs", "versus", "or", "than", "more", "most", "higher", "larger", "bigger", "greater",
	"less", "fewer", "lower", "smaller", "compared", "compare", "between", "had", "how", "many", "days", "times")

func matchCompare(l *linked) *plan {
	if len(l.vals) < 2 {
		return nil
	}
	col := l.vals[0].col
	var lits, names []string
	for _, v := range l.vals {
		if v.col == nil || v.col != col || len(v.values) != 1 {
			return nil
		}
		lits = append(lits, duck.QuoteString(v.values[0]))
		names = append(names, v.values[0])
		for i := v.from; i < v.to; i++ {
			l.use(i)
		}
	}
	hasCmp := false
	for i, w := range l.words {
		if w.w == "or" || w.w == "vs" || w.w == "versus" {
			hasCmp = true
		}
		if compareWords[w.w] && w.col == nil && w.val == nil {
			l.use(i)
		}
	}
	if !hasCmp {
		return nil
	}
	var measure *column
	for i, w := range l.words {
		if w.col != nil && w.col != col {
			if measure != nil && measure != w.col || !w.col.isNumeric() {
				return nil
			}
			measure = w.col
			l.use(i)
		}
	}
	in := col.textExpr() + " IN (" + strings.Join(lits, ", ") + ")"
	if measure == nil {
		return &plan{
			desc: "the rows of " + strings.Join(names, " and "),
			sql:  "SELECT " + col.ident() + ", count(*) AS rows FROM " + table + " WHERE " + in + " GROUP BY 1 ORDER BY 2 DESC, 1",
			say: func(res *duck.Result) string {
				r := firstRow(res)
				if r == nil {
					return "No rows match."
				}
				return bold(cellText(col, r[0])) + " has more rows: " + cellText(&column{}, r[1]) + "."
			},
		}
	}
	m := measure.expr()
	ord, word := "DESC", "higher"
	for _, w := range l.words {
		if lessWords[w.w] && w.col == nil && w.val == nil {
			ord, word = "ASC", "lower" // "which has fewer goals, A or B"
		}
		if moreWords[w.w] && w.col == nil && w.val == nil && ord == "ASC" {
			return nil // "more or less": a yes/no of its own
		}
	}
	return &plan{
		desc: measure.Name + " of " + strings.Join(names, " and "),
		sql: "SELECT " + col.ident() + ", " + m + " AS " + duck.QuoteIdent(measure.Name) + " FROM " + table + " WHERE " + in +
			" AND " + m + " IS NOT NULL ORDER BY 2 " + ord,
		say: func(res *duck.Result) string {
			if res == nil || len(res.Rows) != len(names) {
				return "These are not one row each, so I list them rather than pick one."
			}
			r := res.Rows[0]
			return bold(cellText(col, r[0])) + " has the " + word + " " + measure.Name + ": " + cellText(measure, r[1]) + "."
		},
	}
}
