package builtin

import (
	"github.com/analyzerhq/analyzer/duck"
)

// "which country has the most birds", "which year had the fewest
// visitors": groups of a column ranked by the total of a numeric column
// ("the most birds" adds up the birds of each country), the top group
// named first, the ranking as the table and a bar chart. Only words that
// say "how much in all" rank a total: "the highest birds" of a group could
// be an average or a single row's, and is not read here.

var totalSuperlatives = map[string]int{"most": 1, "least": -1, "fewest": -1}

func groupTotal(l *linked, key, measure *column, si int, conds []cond) *plan {
	word := l.words[si].w
	dir := totalSuperlatives[word]
	if dir == 0 || measure.isCategory() || measure.isIdentifier() || rankNames[measure.words[0]] {
		return nil
	}
	w, wd := whereOf(conds)
	m := measure.expr()
	order := "DESC"
	if dir < 0 {
		order = "ASC"
	}
	what := "total " + measure.Name
	sql := "SELECT " + key.ident() + ", sum(" + m + ") AS " + duck.QuoteIdent(what) + " FROM " + table + w + andWhere(w) +
		key.textExpr() + " IS NOT NULL GROUP BY 1 HAVING sum(" + m + ") IS NOT NULL ORDER BY 2 " + order + ", 1"
	return &plan{
		desc: key.Name + " with the " + word + " " + measure.Name + " in all" + wd,
		sql:  sql,
		bar:  what + " by " + key.Name + wd,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No rows match."
			}
			if len(res.Rows) > 1 && cellText(measure, res.Rows[1][1]) == cellText(measure, r[1]) {
				return "No single " + key.Name + " has the " + word + " " + measure.Name + ": " + cellText(key, r[0]) + " and " +
					cellText(key, res.Rows[1][0]) + " both have " + cellText(measure, r[1]) + "."
			}
			s := bold(cellText(key, r[0])) + " has the " + word + " " + measure.Name + ": " + cellText(measure, r[1])
			if n := len(res.Rows); n > 1 {
				s += "; " + cellText(key, res.Rows[n-1][0]) + " the " + map[int]string{1: "fewest", -1: "most"}[dir] +
					" of " + itoa(n) + " (" + cellText(measure, res.Rows[n-1][1]) + ")"
			}
			return s + "."
		},
	}
}
