package builtin

import (
	"strconv"

	"github.com/analyzerhq/analyzer/duck"
)

// "what was the hottest day", "which day was the windiest", "the 5 wettest
// days in 2014": the days of a table of one row per date ranked by the
// column a word of weather stands for (weatherWords), the first named.

func matchExtremeDay(l *linked) *plan {
	d := l.s.dailyColumn()
	if d == nil {
		return nil
	}
	wi, di := -1, -1
	for i, w := range l.words {
		if w.col != nil || w.val != nil {
			continue
		}
		if _, ok := weatherWords[w.w]; ok && wi < 0 {
			wi = i
		}
		if (w.s == "day" || w.s == "date") && di < 0 {
			di = i
		}
	}
	if wi < 0 || di < 0 {
		return nil
	}
	m := l.s.weatherColumn(l.words[wi].w)
	if m == nil {
		return nil
	}
	l.use(wi, di)
	k := 1
	for i, w := range l.words {
		if w.isNum && !w.used && w.date == nil && w.col == nil && w.val == nil && (i == wi-1 || i == di-1) &&
			w.num == float64(int(w.num)) && w.num >= 1 && w.num <= 100 {
			k = int(w.num)
			l.use(i)
		}
	}
	conds, ok := l.conditions(nil)
	if !ok {
		return nil
	}
	// "the hottest day by temp_min": another column named is another
	// question, not this one ranked by the weather word's column.
	for _, w := range l.words {
		if w.col != nil && !w.used && w.col != m && w.col != d {
			return nil
		}
	}
	wh, wd := whereOf(conds)
	ord := "DESC"
	if weatherWords[l.words[wi].w].dir < 0 {
		ord = "ASC"
	}
	word := l.words[wi].w
	lim := 10
	if k > 1 {
		lim = k
	}
	sql := "SELECT " + d.ident() + ", " + m.expr() + " AS " + m.ident() + " FROM " + table + wh + andWhere(wh) + m.expr() +
		" IS NOT NULL ORDER BY 2 " + ord + ", 1 LIMIT " + strconv.Itoa(lim)
	noun := "day"
	if k > 1 {
		noun = strconv.Itoa(k) + " " + word + " days"
	}
	return &plan{
		desc: "the " + map[bool]string{true: word + " day", false: noun}[k == 1] + " by " + m.Name + wd,
		sql:  sql,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No rows match."
			}
			if k == 1 && len(res.Rows) > 1 && cellText(m, res.Rows[1][1]) == cellText(m, r[1]) {
				return bold(cellText(d, r[0])) + " and " + cellText(d, res.Rows[1][0]) + " tie for the " + word + " day" + wd +
					" (" + m.Name + " " + cellText(m, r[1]) + ")."
			}
			s := bold(cellText(d, r[0])) + " was the " + word + " day" + wd + ": " + m.Name + " " + cellText(m, r[1])
			if k > 1 {
				var rest []string
				for _, x := range res.Rows[1:min(k, len(res.Rows))] {
					rest = append(rest, cellText(d, x[0])+" ("+cellText(m, x[1])+")")
				}
				if len(rest) > 0 {
					s += "; then " + andList(rest)
				}
			}
			return s + "."
		},
	}
}
