package builtin

import (
	"github.com/analyzerhq/analyzer/duck"
)

// "flights per carrier", "days per weather type", "strikes by airport in
// 2005": the table's own noun for its rows, then a column to group by: the
// rows counted per value, the largest first, with a bar chart.

func matchPerGroup(l *linked) *plan {
	n := len(l.words)
	i := 0
	for i < n && (l.words[i].w == "show" || l.words[i].w == "me" || l.words[i].w == "the") && l.words[i].col == nil {
		l.use(i)
		i++
	}
	if i+2 >= n || !l.rowNounAt(i) || l.words[i].w == l.words[i].s {
		return nil // a plural of the rows' own noun comes first
	}
	noun := l.words[i].w
	l.use(i)
	j := i + 1
	switch {
	case l.words[j].w == "per" || l.words[j].w == "by" || l.words[j].w == "each":
		l.use(j)
		j++
	case l.words[j].w == "for" && l.words[j+1].w == "each":
		l.use(j, j+1)
		j += 2
	default:
		return nil
	}
	if j >= n || l.words[j].col == nil || l.words[j].val != nil {
		return nil
	}
	g := l.words[j].col
	if !g.isCategory() || g.isTemporal() {
		return nil
	}
	for ; j < n && l.words[j].col == g; j++ {
		l.use(j)
	}
	if j < n && (l.words[j].w == "where" || l.words[j].w == "with") {
		l.use(j) // "where distance above 2000": the conditions follow
	}
	conds, ok := l.conditions(nil)
	if !ok {
		return nil
	}
	for _, w := range l.words {
		if w.col != nil && !w.used {
			return nil
		}
	}
	conds = append(conds, l.totals...)
	wh, wd := whereOf(conds)
	sql := "SELECT " + g.ident() + ", count(*) AS " + duck.QuoteIdent(noun) + " FROM " + table + wh + " GROUP BY 1 ORDER BY 2 DESC, 1"
	return &plan{
		desc: "the number of " + noun + " per " + g.Name + wd,
		sql:  sql,
		bar:  "number of " + noun + " per " + g.Name + wd,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No rows match."
			}
			s := bold(cellText(g, r[0])) + " has the most " + noun + ": " + cellText(&column{}, r[1])
			if k := len(res.Rows); k > 1 {
				s += "; " + cellText(g, res.Rows[k-1][0]) + " the fewest of " + itoa(k) + " (" + cellText(&column{}, res.Rows[k-1][1]) + ")"
			}
			return s + "."
		},
	}
}
