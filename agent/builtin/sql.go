package builtin

import (
	"strconv"
	"strings"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/duck/series"
)

// numLit writes a number as a SQL literal.
func numLit(v float64) string {
	if v == float64(int64(v)) && v < 1e15 && v > -1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// measureSQL is the aggregate expression of m.
func measureSQL(m measure) string {
	if m.col == nil {
		return "count(*)"
	}
	e := m.col.expr()
	switch m.fn {
	case aggSum:
		return "sum(" + e + ")"
	case aggAvg:
		return "avg(" + e + ")"
	case aggMin:
		return "min(" + e + ")"
	case aggMax:
		return "max(" + e + ")"
	case aggMedian:
		return "median(" + e + ")"
	case aggCountDistinct:
		return "count(DISTINCT " + e + ")"
	case aggStddev:
		return "stddev_samp(" + e + ")"
	case aggVar:
		return "var_samp(" + e + ")"
	}
	return "count(" + e + ")"
}

// measureLabel names a measure's result column.
func measureLabel(m measure) string {
	if m.col == nil && m.noun != "" {
		return m.noun
	}
	if m.col == nil {
		return "rows"
	}
	switch m.fn {
	case aggSum:
		return "total " + m.col.Name
	case aggAvg:
		return "average " + m.col.Name
	case aggMin:
		return "min " + m.col.Name
	case aggMax:
		return "max " + m.col.Name
	case aggMedian:
		return "median " + m.col.Name
	case aggCountDistinct:
		return "distinct " + m.col.Name
	case aggStddev:
		return "std dev of " + m.col.Name
	case aggVar:
		return "variance of " + m.col.Name
	}
	return "count of " + m.col.Name
}

// filterSQL is one condition.
func filterSQL(f filter) string {
	c := f.col
	switch f.op {
	case "null":
		return c.ident() + " IS NULL"
	case "notnull":
		return c.ident() + " IS NOT NULL"
	case "contains":
		return "contains(lower(" + c.textExpr() + "), lower(" + duck.QuoteString(f.text) + "))"
	case "notcontains":
		return "NOT contains(lower(" + c.textExpr() + "), lower(" + duck.QuoteString(f.text) + "))"
	}
	op := f.op
	if op == "!=" {
		op = "<>"
	}
	switch {
	case f.year:
		y := "year(" + c.expr() + ")"
		if f.op == "between" {
			return y + " BETWEEN " + numLit(f.num) + " AND " + numLit(f.num2)
		}
		return y + " " + op + " " + numLit(f.num)
	case f.date != "":
		return "CAST(" + c.expr() + " AS DATE) " + op + " DATE " + duck.QuoteString(f.date)
	case f.op == "between":
		return c.expr() + " BETWEEN " + numLit(f.num) + " AND " + numLit(f.num2)
	case f.isNum && c.isNumeric():
		return c.expr() + " " + op + " " + numLit(f.num)
	case c.kind == duck.KindBoolean:
		return c.ident() + " " + op + " " + f.text
	}
	return "lower(" + c.textExpr() + ") " + op + " lower(" + duck.QuoteString(f.text) + ")"
}

// where is the WHERE clause of filters plus extra conditions, or "".
func where(filters []filter, extra ...string) string {
	var conds []string
	for _, f := range filters {
		conds = append(conds, filterSQL(f))
	}
	conds = append(conds, extra...)
	if len(conds) == 0 {
		return ""
	}
	return "\nWHERE " + strings.Join(conds, "\n  AND ")
}

// grainExpr is the period label of a date expression: sortable text
// ("2024-03") or a year number.
func grainExpr(e, grain string) (expr, label string) {
	switch grain {
	case "year":
		return "year(" + e + ")", "year"
	case "quarter":
		return "CAST(year(" + e + ") AS VARCHAR) || '-Q' || CAST(quarter(" + e + ") AS VARCHAR)", "quarter"
	case "month":
		return "strftime(" + e + ", '%Y-%m')", "month"
	case "week":
		return "strftime(date_trunc('week', " + e + "), '%Y-%m-%d')", "week"
	case "hour":
		return "strftime(" + e + ", '%Y-%m-%d %H:00')", "hour"
	}
	return "strftime(" + e + ", '%Y-%m-%d')", "day"
}

// additive reports a measure whose empty group is 0 (a count, a sum);
// the others (averages, extremes) have no value there.
func additive(m measure) bool {
	return m.col == nil || m.fn == aggCount || m.fn == aggSum || m.fn == aggCountDistinct
}

// groupCount reports whether a grouped result carries each group's row
// count beside its measures: when a measure is not itself a count, so that
// an average of two rows is seen as such.
func groupCount(q *query) bool {
	if len(q.groups) == 0 && q.kind != qTime {
		return false
	}
	for _, m := range q.measures {
		if m.col == nil {
			return false
		}
	}
	for _, m := range q.measures {
		if !additive(m) {
			return true
		}
	}
	return false
}

// aggSQL builds the statement of a qAgg or qTime query.
func aggSQL(q *query) string {
	if q.kind == qTime {
		return seriesSQL(q)
	}
	var sel, group []string
	for _, g := range q.groups {
		sel = append(sel, g.ident())
		group = append(group, g.ident())
	}
	for _, m := range q.measures {
		sel = append(sel, measureSQL(m)+" AS "+duck.QuoteIdent(measureLabel(m)))
	}
	if groupCount(q) {
		sel = append(sel, "count(*) AS "+duck.QuoteIdent("rows"))
	}
	var b strings.Builder
	b.WriteString("SELECT " + strings.Join(sel, ",\n       "))
	b.WriteString("\nFROM " + table)
	b.WriteString(where(q.filters, q.exclude...))
	if len(group) > 0 {
		b.WriteString("\nGROUP BY " + strings.Join(group, ", "))
		first := duck.QuoteIdent(measureLabel(q.measures[0]))
		switch {
		case q.dir > 0:
			b.WriteString("\nORDER BY " + first + " DESC NULLS LAST, " + strings.Join(group, ", "))
		case q.dir < 0:
			b.WriteString("\nORDER BY " + first + " ASC NULLS LAST, " + strings.Join(group, ", "))
		default:
			b.WriteString("\nORDER BY " + strings.Join(group, ", ") + " NULLS LAST")
		}
	}
	if q.limit > 0 && len(group) > 0 {
		b.WriteString("\nLIMIT " + itoa(q.limit))
	}
	return b.String()
}

// seriesSQL builds a time series with every period from the first to the
// last, as duck/series fills one: a period without rows is 0 for a count
// or a sum and empty (a gap, never bridged) for an average or an extreme.
func seriesSQL(q *query) string {
	grain := q.grain
	if grain == "" {
		grain = series.Day
	}
	e := q.dateCol.expr()
	var inner, outer, keys []string
	inner = append(inner, "date_trunc('"+grain+"', "+e+")::TIMESTAMP AS __p")
	for _, g := range q.groups {
		inner = append(inner, g.ident())
		keys = append(keys, g.ident())
	}
	label, name := grainExpr("p.__p", grain)
	outer = append(outer, label+" AS "+duck.QuoteIdent(name))
	outer = append(outer, keys...)
	for k, m := range q.measures {
		v := "m" + itoa(k)
		inner = append(inner, measureSQL(m)+" AS "+v)
		if additive(m) {
			v = "coalesce(" + v + ", 0)"
		}
		outer = append(outer, v+" AS "+duck.QuoteIdent(measureLabel(m)))
	}
	if groupCount(q) {
		inner = append(inner, "count(*) AS __n")
		outer = append(outer, "coalesce(__n, 0) AS "+duck.QuoteIdent("rows"))
	}
	extra := append([]string(nil), q.exclude...)
	extra = append(extra, e+" IS NOT NULL")
	var b strings.Builder
	b.WriteString("WITH s AS (\n  SELECT " + strings.Join(inner, ", ") + "\n  FROM " + table +
		strings.ReplaceAll(where(q.filters, extra...), "\n", "\n  ") + "\n  GROUP BY ALL\n),\n")
	b.WriteString("p AS (SELECT unnest(range(min(__p), max(__p) + INTERVAL 1 " + grain + ", INTERVAL 1 " + grain + ")) AS __p FROM s)")
	from := "p"
	if len(keys) > 0 {
		b.WriteString(",\ng AS (SELECT DISTINCT " + strings.Join(keys, ", ") + " FROM s)")
		from = "p CROSS JOIN g"
	}
	b.WriteString("\nSELECT " + strings.Join(outer, ",\n       "))
	b.WriteString("\nFROM " + from + "\nLEFT JOIN s USING (__p" + strings.Join(append([]string{""}, keys...), ", ") + ")")
	order := append([]string{"p.__p"}, keys...)
	b.WriteString("\nORDER BY " + strings.Join(order, ", "))
	return b.String()
}

// rowsSQL builds the statement of a qRows query.
func rowsSQL(q *query) string {
	var b strings.Builder
	b.WriteString("SELECT *\nFROM " + table)
	var extra []string
	if q.orderCol != nil {
		extra = append(extra, q.orderCol.expr()+" IS NOT NULL")
	}
	b.WriteString(where(q.filters, extra...))
	if q.orderCol != nil {
		dir := "DESC"
		if q.dir < 0 {
			dir = "ASC"
		}
		b.WriteString("\nORDER BY " + q.orderCol.expr() + " " + dir)
	}
	if q.limit > 0 {
		b.WriteString("\nLIMIT " + itoa(q.limit))
	}
	return b.String()
}

// countSQL counts the rows matching filters.
func countSQL(filters []filter) string {
	return "SELECT count(*) AS " + duck.QuoteIdent("rows") + "\nFROM " + table + where(filters)
}

// histBins is the number of bars of a histogram.
const histBins = 20

// histogramSQL bins a numeric column into equal-width bins between its
// minimum and maximum.
func histogramSQL(c *column, filters []filter) string {
	e := c.expr()
	n := itoa(histBins)
	return "WITH v AS (\n  SELECT " + e + " AS x FROM " + table + where(filters, e+" IS NOT NULL") + "\n),\n" +
		"r AS (SELECT min(x) AS lo, max(x) AS hi FROM v)\n" +
		"SELECT lo + (hi - lo) / " + n + " * b AS " + duck.QuoteIdent("bin_start") +
		", lo + (hi - lo) / " + n + " * (b + 1) AS " + duck.QuoteIdent("bin_end") + ", count(*) AS " + duck.QuoteIdent("rows") + "\n" +
		"FROM (SELECT least(coalesce(floor((x - lo) / nullif(hi - lo, 0) * " + n + "), 0), " + itoa(histBins-1) + ") AS b, lo, hi FROM v, r)\n" +
		"GROUP BY b, lo, hi\nORDER BY b"
}

// valueCountsSQL counts rows per value, most frequent first, with each
// value's share.
func valueCountsSQL(c *column, filters []filter, limit int) string {
	s := "SELECT " + c.ident() + ", count(*) AS " + duck.QuoteIdent("rows") +
		",\n       round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS " + duck.QuoteIdent("share %") +
		"\nFROM " + table + where(filters) + "\nGROUP BY " + c.ident() + "\nORDER BY " + duck.QuoteIdent("rows") + " DESC, " + c.ident() + " NULLS LAST"
	if limit > 0 {
		s += "\nLIMIT " + itoa(limit)
	}
	return s
}

// describeSQL summarises one column in one row.
func describeSQL(c *column, filters []filter) string {
	e := c.expr()
	id := c.ident()
	sel := []string{
		"count(*) AS " + duck.QuoteIdent("rows"),
		"count(" + e + ") AS " + duck.QuoteIdent("non-missing"),
		"count(*) - count(" + id + ") AS " + duck.QuoteIdent("missing"),
		"count(DISTINCT " + e + ") AS " + duck.QuoteIdent("distinct"),
	}
	if c.numText || c.dateFmt != "" {
		sel = append(sel, "count("+id+") - count("+e+") AS "+duck.QuoteIdent("unreadable"))
	}
	switch {
	case c.isNumeric():
		sel = append(sel,
			"min("+e+") AS "+duck.QuoteIdent("min"),
			"quantile_cont("+e+", 0.25) AS "+duck.QuoteIdent("25%"),
			"median("+e+") AS "+duck.QuoteIdent("median"),
			"avg("+e+") AS "+duck.QuoteIdent("mean"),
			"quantile_cont("+e+", 0.75) AS "+duck.QuoteIdent("75%"),
			"max("+e+") AS "+duck.QuoteIdent("max"),
			"stddev_samp("+e+") AS "+duck.QuoteIdent("std dev"),
		)
	case c.isTemporal():
		sel = append(sel, "min("+e+") AS "+duck.QuoteIdent("earliest"), "max("+e+") AS "+duck.QuoteIdent("latest"))
	case c.kind == duck.KindText:
		sel = append(sel,
			"mode("+id+") AS "+duck.QuoteIdent("most common"),
			"min(length("+id+")) AS "+duck.QuoteIdent("shortest"),
			"max(length("+id+")) AS "+duck.QuoteIdent("longest"),
		)
	case c.kind == duck.KindBoolean:
		sel = append(sel, "count(*) FILTER (WHERE "+id+") AS "+duck.QuoteIdent("true"), "count(*) FILTER (WHERE NOT "+id+") AS "+duck.QuoteIdent("false"))
	}
	return "SELECT " + strings.Join(sel, ",\n       ") + "\nFROM " + table + where(filters)
}

// boxSQL gives the quartiles of a numeric column per group.
func boxSQL(c, g *column, filters []filter) string {
	e := c.expr()
	return "SELECT " + g.ident() + ",\n       count(" + e + ") AS " + duck.QuoteIdent("rows") +
		",\n       min(" + e + ") AS " + duck.QuoteIdent("min") +
		",\n       quantile_cont(" + e + ", 0.25) AS " + duck.QuoteIdent("q1") +
		",\n       median(" + e + ") AS " + duck.QuoteIdent("median") +
		",\n       quantile_cont(" + e + ", 0.75) AS " + duck.QuoteIdent("q3") +
		",\n       max(" + e + ") AS " + duck.QuoteIdent("max") +
		"\nFROM " + table + where(filters, e+" IS NOT NULL") +
		"\nGROUP BY " + g.ident() + "\nORDER BY " + duck.QuoteIdent("median") + " DESC, " + g.ident() + " NULLS LAST\nLIMIT 30"
}

// corrSQL gives the correlation of two numeric columns.
func corrSQL(x, y *column, filters []filter) string {
	return "SELECT corr(" + x.expr() + ", " + y.expr() + ") AS " + duck.QuoteIdent("correlation") +
		",\n       count(*) AS " + duck.QuoteIdent("pairs") +
		"\nFROM " + table + where(filters, x.expr()+" IS NOT NULL", y.expr()+" IS NOT NULL")
}

// scatterSQL samples pairs for a scatter plot.
func scatterSQL(x, y *column, filters []filter, n int) string {
	return "SELECT " + x.expr() + " AS " + duck.QuoteIdent(x.Name) + ", " + y.expr() + " AS " + duck.QuoteIdent(y.Name) +
		"\nFROM " + table + where(filters, x.expr()+" IS NOT NULL", y.expr()+" IS NOT NULL") +
		"\nUSING SAMPLE reservoir(" + itoa(n) + " ROWS) REPEATABLE (7)"
}

// corrMatrixSQL computes every pair's correlation in one pass, one row
// per pair.
func corrMatrixSQL(cols []*column) string {
	var aggs, names, keys []string
	k := 0
	for i := range cols {
		for j := i + 1; j < len(cols); j++ {
			key := "p" + itoa(k)
			keys = append(keys, key)
			k++
			aggs = append(aggs, "corr("+cols[i].expr()+", "+cols[j].expr()+") AS "+key)
			names = append(names, "("+duck.QuoteString(key)+", "+duck.QuoteString(cols[i].Name)+", "+duck.QuoteString(cols[j].Name)+")")
		}
	}
	return "WITH c AS (\n  SELECT " + strings.Join(aggs, ",\n         ") + "\n  FROM " + table + "\n)\n" +
		"SELECT m.x, m.y, u.correlation\n" +
		"FROM c UNPIVOT INCLUDE NULLS (correlation FOR k IN (" + strings.Join(keys, ", ") + ")) u\n" +
		"JOIN (VALUES " + strings.Join(names, ", ") + ") m(k, x, y) USING (k)\n" +
		"ORDER BY abs(u.correlation) DESC NULLS LAST, m.x, m.y"
}

// missingSQL counts the missing values of each column in one pass, most
// first.
func missingSQL(cols []*column) string {
	var aggs, names, keys []string
	for i, c := range cols {
		key := "p" + itoa(i)
		keys = append(keys, key)
		aggs = append(aggs, "count(*) - count("+c.ident()+") AS "+key)
		names = append(names, "("+duck.QuoteString(key)+", "+duck.QuoteString(c.Name)+")")
	}
	return "WITH c AS (\n  SELECT " + strings.Join(aggs, ",\n         ") + "\n  FROM " + table + "\n),\n" +
		"n AS (SELECT count(*) AS total FROM " + table + ")\n" +
		"SELECT m.name AS " + duck.QuoteIdent("column") + ", u.missing, round(100.0 * u.missing / greatest(n.total, 1), 2) AS " + duck.QuoteIdent("missing %") + "\n" +
		"FROM c UNPIVOT INCLUDE NULLS (missing FOR k IN (" + strings.Join(keys, ", ") + ")) u\n" +
		"JOIN (VALUES " + strings.Join(names, ", ") + ") m(k, name) USING (k), n\n" +
		"ORDER BY u.missing DESC, m.name"
}

// duplicatesSQL counts rows identical to an earlier row.
func duplicatesSQL() string {
	return "SELECT count(*) AS " + duck.QuoteIdent("rows") + ",\n       count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM " + table + ")) AS " +
		duck.QuoteIdent("duplicate rows") + "\nFROM " + table
}

// schemaSQL lists the columns and their types.
func schemaSQL() string {
	return "SELECT column_name, column_type FROM (DESCRIBE " + table + ")"
}
