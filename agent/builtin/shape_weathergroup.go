package builtin

import (
	"github.com/analyzerhq/analyzer/duck"
)

// "which weather is the windiest", "which carrier is the wettest": the
// groups of a text column ranked by the column a word of weather stands
// for, averaged (wind, temperature) or added up (rain), with a bar chart.
// Months, weekdays and years are the seasonality shape's.

func matchWeatherGroup(l *linked) *plan {
	n := len(l.words)
	if n < 3 || (l.words[0].w != "which" && l.words[0].w != "what") || l.words[1].col == nil || l.words[1].val != nil {
		return nil
	}
	g := l.words[1].col
	if !g.isCategory() || g.isTemporal() || g.isNumeric() {
		return nil
	}
	l.use(0)
	j := 1
	for ; j < n && l.words[j].col == g; j++ {
		l.use(j)
	}
	wi := -1
	for i := j; i < n; i++ {
		if _, ok := weatherWords[l.words[i].w]; ok && l.words[i].col == nil && l.words[i].val == nil {
			wi = i
			break
		}
	}
	if wi < 0 {
		return nil
	}
	ww := weatherWords[l.words[wi].w]
	m := l.s.weatherColumn(l.words[wi].w)
	if m == nil {
		return nil
	}
	l.use(wi)
	for i := j; i < n; i++ {
		switch l.words[i].w {
		case "is", "was", "are", "has", "had", "the", "on", "average":
			l.use(i)
		}
	}
	l.useRowNouns()
	conds, ok := l.conditions(nil)
	if !ok {
		return nil
	}
	for _, w := range l.words {
		if w.col != nil && !w.used {
			return nil
		}
	}
	wh, wd := whereOf(conds)
	agg, what := "avg", "average "+m.Name
	if ww.sum {
		agg, what = "sum", "total "+m.Name
	}
	ord := "DESC"
	if ww.dir < 0 {
		ord = "ASC"
	}
	word := l.words[wi].w
	sql := "SELECT " + g.ident() + ", " + agg + "(" + m.expr() + ") AS " + duck.QuoteIdent(what) + ", count(*) AS rows FROM " + table +
		wh + andWhere(wh) + g.ident() + " IS NOT NULL GROUP BY 1 HAVING " + agg + "(" + m.expr() + ") IS NOT NULL ORDER BY 2 " + ord + ", 1"
	return &plan{
		desc: g.Name + " by " + what + wd,
		sql:  sql,
		bar:  what + " by " + g.Name + wd,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No rows match."
			}
			s := bold(cellText(g, r[0])) + " is the " + word + " " + g.Name + wd + ", by " + what + ": " + cellText(m, r[1]) +
				" (" + cellText(&column{}, r[2]) + " rows)"
			if k := len(res.Rows); k > 1 {
				s += "; " + cellText(g, res.Rows[k-1][0]) + " is last of " + itoa(k) + " (" + cellText(m, res.Rows[k-1][1]) + ")"
			}
			return s + "."
		},
	}
}
