package builtin

import (
	"strconv"
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// "top 5 days by wind", "top 3 carriers by number of flights": N rows or
// groups ranked by a column or by their number of rows ("top 3 categories
// by total quantity", groups of two named columns, is the older grammar's,
// with its chart). A column of repeated values is grouped (its rows counted or the
// named column summed); a column of one row each is ranked row by row.

func matchTop(l *linked) *plan {
	n := len(l.words)
	ti := -1
	for i, w := range l.words {
		if (w.w == "top" || w.w == "bottom") && w.col == nil && w.val == nil && i+2 < n && l.words[i+1].isNum {
			ti = i
			break
		}
	}
	if ti < 0 {
		return nil
	}
	k := l.words[ti+1].num
	if k < 1 || k > 100 || k != float64(int(k)) {
		return nil
	}
	desc := l.words[ti].w == "top"
	l.use(ti, ti+1)
	// X: a column, or a noun for one ("days" of a date column).
	xi := ti + 2
	var x *column
	named := false
	if c := l.words[xi].col; c != nil && l.words[xi].val == nil {
		x, named = c, true
		for xi < n && l.words[xi].col == c {
			l.use(xi)
			xi++
		}
	} else if x = l.entityAt(xi); x != nil {
		xi++
	}
	if x == nil || x.isNumeric() && !x.isCategory() {
		return nil
	}
	if xi >= n || l.words[xi].w != "by" {
		return nil
	}
	noun := strings.ToLower(l.q[l.words[ti+2].start:l.words[xi-1].end]) // "days", "carriers", as asked
	l.use(xi)
	// Y: a numeric column, or the number of rows.
	j := xi + 1
	fn := ""
	if j < n && (l.words[j].w == "total" || l.words[j].w == "average" || l.words[j].w == "mean") && l.words[j].col == nil {
		fn = l.words[j].w
		l.use(j)
		j++
	}
	var y *column
	count := false
	ofNoun := ""
	switch {
	case j < n && l.words[j].col != nil && l.words[j].val == nil && l.words[j].col.isNumeric() && !l.words[j].col.isCategory():
		y = l.words[j].col
		for j < n && l.words[j].col == y {
			l.use(j)
			j++
		}
	case fn == "" && j+2 < n && l.words[j].w == "number" && l.words[j+1].w == "of" && l.words[j+2].col != nil &&
		l.words[j+2].val == nil && l.words[j+2].col.isNumeric() && !l.words[j+2].col.isCategory():
		// "by number of titles": the Titles column.
		l.use(j, j+1)
		y = l.words[j+2].col
		for j += 2; j < n && l.words[j].col == y; j++ {
			l.use(j)
		}
	case fn == "" && j+1 < n && l.words[j].w == "number" && l.words[j+1].w == "of":
		l.use(j, j+1)
		j += 2
		if j < n && l.words[j].col == nil && l.words[j].val == nil && !l.words[j].isNum {
			// "of flights": the rows, only by the table's own noun for
			// them; "of cancellations" counted as rows would be wrong.
			if !l.rowNounAt(j) {
				return nil
			}
			l.use(j)
			ofNoun = l.words[j].w
			j++
		}
		count = true
	case fn == "" && j < n && (l.words[j].w == "count" || rowWords[l.words[j].w]):
		l.use(j)
		j++
		count = true
	default:
		return nil
	}
	unique := l.s.rows > 0 && x.distinct >= l.s.rows
	if named && !count && !unique && fn == "" {
		// "top 5 countries by population in 2005": rows, when the
		// conditions leave one per country.
		conds, ok := l.conditions(nil)
		if !ok || len(conds) == 0 {
			return nil // "top 3 categories by total quantity": the older grammar's ranking, with its chart
		}
		for _, w := range l.words {
			if w.col != nil && !w.used {
				return nil
			}
		}
		return rankWithin(x, y, map[bool]string{true: "top", false: "bottom"}[desc], desc, int(k), conds, l.totals)
	}
	if named && !count && !unique {
		return nil // the older grammar's ranking, with its chart
	}
	if unique && (count || fn != "") {
		return nil // one row each: nothing to count or add up
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
	ord := "DESC"
	if !desc {
		ord = "ASC"
	}
	lim := strconv.Itoa(int(k))
	var sql, what string
	switch {
	case unique:
		what = y.Name
		sql = "SELECT " + x.ident() + ", " + y.expr() + " AS " + y.ident() + " FROM " + table + wh + andWhere(wh) +
			y.expr() + " IS NOT NULL ORDER BY 2 " + ord + " LIMIT " + lim
	case count:
		what = "rows"
		sql = "SELECT " + x.ident() + ", count(*) AS rows FROM " + table + wh + " GROUP BY 1 ORDER BY 2 " + ord + ", 1 LIMIT " + lim
	default:
		agg := "sum"
		what = "total " + y.Name
		if fn == "average" || fn == "mean" {
			agg, what = "avg", "average "+y.Name
		}
		sql = "SELECT " + x.ident() + ", " + agg + "(" + y.expr() + ") AS " + duck.QuoteIdent(what) + " FROM " + table + wh +
			" GROUP BY 1 HAVING " + agg + "(" + y.expr() + ") IS NOT NULL ORDER BY 2 " + ord + ", 1 LIMIT " + lim
	}
	word := map[bool]string{true: "top", false: "bottom"}[desc]
	if count {
		switch w := l.s.rowsWord(); {
		case ofNoun != "":
			what = "number of " + ofNoun // "by number of strikes"
		case w != "rows":
			what = "number of " + w
		}
	}
	return &plan{
		desc: "the " + word + " " + lim + " " + noun + " by " + what + wd,
		sql:  sql,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No rows match."
			}
			yc := &column{}
			if unique {
				yc = y
			}
			var rest []string
			for _, x2 := range res.Rows[1:] {
				rest = append(rest, cellText(x, x2[0])+" ("+cellText(yc, x2[1])+")")
			}
			s := bold(cellText(x, r[0])) + " leads the " + word + " " + itoa(len(res.Rows)) + " " + noun + " by " + what + " (" +
				cellText(yc, r[1]) + ")"
			if len(rest) > 0 {
				s += ", then " + andList(rest)
			}
			return s + "."
		},
	}
}
