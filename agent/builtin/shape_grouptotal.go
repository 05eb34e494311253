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
	if defaultAgg(measure) != aggSum || repeatsPerPeriod(l.s, key, measure) {
		// Life expectancy is averaged, and a figure a group holds each
		// year (population) is not added up over the years: the ranking
		// within one year (rankWithin) or nothing.
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

// repeatsPerPeriod reports whether the table holds key once per period of
// its year or date column (a country per year): no more rows than keys
// times periods, over several periods.
func repeatsPerPeriod(s *schema, key, measure *column) bool {
	yc := s.yearColumn()
	if yc == nil || yc == key || yc == measure || yc.distinct < 2 || key.distinct < 1 || s.rows <= 0 {
		return false
	}
	return s.rows <= key.distinct*yc.distinct
}

// panelSum declines the older grammar's reading of "which country has the
// most population" that groupTotal declined: a figure each group holds per
// period, added up over the periods, unless the question asks for a total
// or picks a period.
func panelSum(l *linked, q *query, s *schema) *parseError {
	if len(q.groups) != 1 || l.hasWord("total", "totals", "sum", "combined", "altogether", "overall") {
		return nil
	}
	super := false
	for _, w := range l.words {
		if totalSuperlatives[w.w] != 0 && w.col == nil && w.val == nil {
			super = true
		}
	}
	if !super {
		return nil
	}
	yc := s.yearColumn()
	for _, f := range q.filters {
		if f.col == yc || f.year {
			return nil
		}
	}
	for _, m := range q.measures {
		if m.fn == aggSum && m.col != nil && repeatsPerPeriod(s, q.groups[0], m.col) {
			return declineWords(l, nil, "Each "+q.groups[0].Name+" has a "+m.col.Name+" per "+yc.Name+
				", and adding those up over the years would mislead, so I won't; ask about one "+yc.Name+".")
		}
	}
	return nil
}
