package builtin

import (
	"strconv"

	"github.com/analyzerhq/analyzer/duck"
)

// "which country has the lowest fertility in 2005", "top 5 countries by
// population in 2005": a column that repeats across the table (a country
// per year) names one row each once the question's conditions hold (one
// year). The rows are ranked only when that is so: the query returns no
// row when a name repeats under the conditions, and the answer says so
// rather than pick one of its rows.

// totals are the conditions that leave out a table's own total rows
// ("Total", "World"): never the question's conditions, yet in its query,
// so that a total never ranks first.
func rankWithin(key, measure *column, word string, desc bool, k int, conds, totals []cond) *plan {
	if len(conds) == 0 || !measure.isNumeric() || measure.isCategory() {
		return nil
	}
	_, wd := whereOf(conds)
	w, _ := whereOf(append(append([]cond(nil), conds...), totals...))
	m := measure.expr()
	ord := "DESC"
	if !desc {
		ord = "ASC"
	}
	lim := 10
	if k > 1 {
		lim = k
	}
	sql := "WITH t AS (SELECT " + key.ident() + ", " + m + " AS " + measure.ident() + " FROM " + table + w + andWhere(w) + m +
		" IS NOT NULL AND " + key.ident() + " IS NOT NULL) SELECT * FROM t WHERE (SELECT count(*) = count(DISTINCT " +
		key.ident() + ") FROM t) ORDER BY 2 " + ord + ", 1 LIMIT " + strconv.Itoa(lim)
	what := key.Name + " with the " + word + " " + measure.Name + wd
	if k > 1 {
		what = "the " + word + " " + strconv.Itoa(k) + " " + key.Name + " values by " + measure.Name + wd
	}
	return &plan{
		needRow: true,
		desc:    what + " (one row each)",
		sql:     sql,
		bar:     measure.Name + " by " + key.Name + wd,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No rows match."
			}
			if t := tiedRows(res, word, key, measure); k <= 1 && t != "" {
				return t
			}
			s := bold(cellText(key, r[0])) + " has the " + word + " " + measure.Name + wd + ": " + cellText(measure, r[1])
			if k > 1 {
				s = bold(cellText(key, r[0])) + " leads the " + word + " " + strconv.Itoa(len(res.Rows)) + " by " + measure.Name + wd +
					" (" + cellText(measure, r[1]) + ")"
				var rest []string
				for _, x := range res.Rows[1:] {
					rest = append(rest, cellText(key, x[0])+" ("+cellText(measure, x[1])+")")
				}
				if len(rest) > 0 {
					s += "; then " + andList(rest)
				}
			}
			return s + "."
		},
	}
}
