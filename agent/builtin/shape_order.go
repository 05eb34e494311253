package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// "what is the last year listed", "who was the first to take office",
// "which opponent is listed after cleveland freeze", "the year after
// 1995": rows in the order of the file.

var orderWords = map[string]int{"first": 1, "earliest": 1, "top": 1, "last": -1, "latest": -1, "final": -1,
	"after": 2, "next": 2, "following": 2, "before": -2, "previous": -2, "preceding": -2}

// nextTo say a neighbour is the very next row ("immediately before").
var nextTo = set("immediately", "directly", "right", "just")

// timeVerbs name a column of the year something happened ("Built",
// "Opened", "Released"), whose years order the rows.
var timeVerbs = set("built", "released", "founded", "established", "opened", "elected", "born", "died", "signed",
	"formed", "launched", "completed", "published", "recorded", "produced", "aired", "created", "introduced",
	"started", "ended", "closed", "joined", "appointed", "commissioned", "constructed", "discovered", "named")

const rowOrder = "(SELECT *, row_number() OVER () AS __row FROM " + table + ")"

func matchOrder(l *linked) *plan {
	oi := -1
	for i, w := range l.words {
		if orderWords[w.w] != 0 && w.col == nil && w.val == nil {
			oi = i
			break
		}
	}
	if oi < 0 {
		return nil
	}
	dir := orderWords[l.words[oi].w]
	if w := l.words[oi].w; w == "latest" || w == "earliest" {
		return nil // by date: the older grammar's min and max
	}
	var target, rows, by *column
	vi := oi - 1 // the verb naming a time column: "built (right) before V"
	if vi > 0 && nextTo[l.words[vi].w] {
		vi--
	}
	for i, w := range l.words {
		if w.col != nil && w.val == nil && i == vi && (dir == 2 || dir == -2) && !l.valueColumn(w.col) &&
			i > 0 && l.words[i-1].col != w.col && (isTimeColumn(w.col) || timeVerbs[w.w] && w.col.isNumeric() && w.col.numRole == numfmt.Label) {
			// "what ship was built before V", "the album released after
			// V": the year or date column the verb names orders the rows.
			by = w.col
			l.use(i)
			continue
		}
		if w.col != nil && w.val == nil && l.valueColumn(w.col) && w.col != target && i > oi && target != nil {
			// "the first year in which V was the host": the value's own
			// column named again, neither the answer nor the rows.
			l.use(i)
			continue
		}
		if w.col != nil && w.val == nil {
			switch {
			case target == nil || target == w.col:
				target = w.col
			case (rows == nil || rows == w.col) && (dir == 1 || dir == -1) && l.after(oi, i, w.col):
				// "the date of the last tournament": the column right
				// after the order word names the rows.
				rows = w.col
			default:
				return nil
			}
			l.use(i)
		}
	}
	if target == nil && (dir == 2 || dir == -2) && len(l.vals) == 1 && l.vals[0].col != nil && l.vals[0].from > oi &&
		len(l.words) > 0 && l.words[0].w == "who" && l.words[0].col == nil && l.words[0].val == nil && l.s.whoColumn(l.vals[0].col) {
		// "who did this team play after V": the row next to V, in V's
		// column of people or teams ("after wembley stadium" is no one).
		target = l.vals[0].col
		l.use(0)
	}
	if target == nil {
		return nil
	}
	if by != nil {
		return neighbourByPlan(l, oi, dir, target, by)
	}
	if w := l.find(set("when")); w >= 0 && rows == nil && (dir == 1 || dir == -1) {
		// "when did the last episode air": the date of the row the
		// column after the order word names.
		first := -1
		for i, x := range l.words {
			if x.col == target {
				first = i
				break
			}
		}
		when := l.s.yearColumn()
		if when == nil || when == target || !l.after(oi, first, target) {
			return nil
		}
		l.use(w)
		target, rows = when, target
	}
	if rows != nil && len(target.words) == 1 && target.words[0] == "name" && !isTimeColumn(rows) {
		return nil // "the name of the first club": the club (see matchListed)
	}
	if rows != nil && l.words[oi].w == "top" && rows.isNumeric() && !isTimeColumn(rows) && !rankNames[rows.words[0]] {
		return nil // "the top laps": the most laps, not the first row
	}
	if rows != nil {
		return byColumnPlan(l, oi, dir, target, rows)
	}
	return orderPlan(l, oi, dir, target)
}

// after reports whether the words from the order word at oi to word i are
// "the"s or c's name: c is named right after the order word.
func (l *linked) after(oi, i int, c *column) bool {
	for k := oi + 1; k < i; k++ {
		if l.words[k].w != "the" && l.words[k].col != c {
			return false
		}
	}
	return i > oi
}

// byColumnPlan reads "the target of the first/last rows": by the rows
// column's own order when it holds years or dates ("the name in the last
// construction year"), else in the table's order ("the date of the last
// tournament"). Several rows sharing the first year are listed, not picked.
func byColumnPlan(l *linked, oi, dir int, target, rows *column) *plan {
	l.use(oi)
	for _, v := range l.vals {
		if v.col == target || v.col == rows {
			return nil
		}
	}
	// Decided before reading the conditions: conditions marks the words
	// it reads, so a second reading in orderPlan would find none.
	if !isTimeColumn(rows) {
		return orderPlan(l, oi, dir, target)
	}
	conds, ok := l.conditions(nil)
	if !ok {
		return nil
	}
	w, wd := whereOf(conds)
	word, order := "first", "ASC"
	if dir < 0 {
		word, order = "last", "DESC"
	}
	key := rows.expr()
	sql := "SELECT " + target.ident() + ", " + rows.ident() + " FROM " + table + w + andWhere(w) + key + " = (SELECT " +
		map[string]string{"ASC": "min", "DESC": "max"}[order] + "(" + key + ") FROM " + table + w + ")"
	return &plan{
		desc: "the " + target.Name + " of the row with the " + word + " " + rows.Name + wd,
		sql:  sql,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No rows match."
			}
			if len(res.Rows) > 1 {
				return "Several rows share the " + word + " " + rows.Name + " (" + cellText(rows, r[1]) + "), so I list them rather than pick one."
			}
			return bold(cellText(target, r[0])) + " is the " + target.Name + " of the " + word + " " + rows.Name + " (" + cellText(rows, r[1]) + ")."
		},
	}
}

// isTimeColumn: a date column, or a number column named for years.
func isTimeColumn(c *column) bool {
	if c.isTemporal() || c.dateFmt != "" {
		return true
	}
	if !c.isNumeric() {
		return false
	}
	for _, w := range c.words {
		if w == "year" || w == "season" {
			return true
		}
	}
	return false
}

// orderPlan reads "the first/last target" (dir ±1) or "the target
// after/before V" (dir ±2) in the table's order, the order word at oi.
func orderPlan(l *linked, oi, dir int, target *column) *plan {
	l.use(oi)
	if k := oi - 1; k >= 0 && (dir == 2 || dir == -2) && nextTo[l.words[k].w] && l.words[k].col == nil && l.words[k].val == nil {
		l.use(k) // "immediately before V": the row next to it
	}
	if dir == 1 || dir == -1 {
		for _, v := range l.vals {
			if v.col == target {
				return nil // "the last album by V" with V an album: a misread
			}
		}
		conds, ok := l.conditions(nil)
		if !ok {
			return nil
		}
		w, wd := whereOf(conds)
		order, word := "ASC", "first"
		if dir < 0 {
			order, word = "DESC", "last"
		}
		if len(conds) > 0 && isTimeColumn(target) && !l.hasWord("listed", "table", "row", "list") {
			// "the first year in which V was the host": the earliest of
			// the rows V names, whatever the table's order.
			return &plan{
				desc: "the " + word + " " + target.Name + wd,
				sql:  "SELECT " + map[string]string{"ASC": "min", "DESC": "max"}[order] + "(" + target.ident() + ") AS " + target.ident() + " FROM " + table + w,
				say: func(res *duck.Result) string {
					r := firstRow(res)
					if r == nil || r[0] == nil {
						return "No rows match."
					}
					return bold(cellText(target, r[0])) + " is the " + word + " " + target.Name + wd + "."
				},
			}
		}
		return &plan{
			desc: "the " + word + " " + target.Name + " in the table's order" + wd,
			sql: "SELECT " + target.ident() + " FROM " + rowOrder + w + andWhere(w) + target.ident() +
				" IS NOT NULL ORDER BY __row " + order + " LIMIT 1",
			say: func(res *duck.Result) string {
				r := firstRow(res)
				if r == nil {
					return "No rows match."
				}
				return bold(cellText(target, r[0])) + " is the " + word + " " + target.Name + wd + "."
			},
		}
	}
	// after/before a value of the same column: one row holding it.
	var anchor *valueLink
	for _, v := range l.vals {
		if v.col == target && v.from > oi {
			anchor = v
		}
	}
	if anchor == nil && len(l.vals) == 1 && l.vals[0].col == target && l.vals[0].to <= oi && l.askedAfter(oi, target) {
		// "london came before which city": the city listed after London.
		anchor, dir = l.vals[0], -dir
	}
	var num *lword
	if anchor == nil && oi+1 < len(l.words) && l.words[oi+1].isNum && target.isNumeric() {
		num = &l.words[oi+1]
		l.use(oi + 1)
	}
	if anchor == nil && num == nil || len(l.vals) > 1 || anchor != nil && len(anchor.values) != 1 {
		return nil
	}
	if anchor != nil && l.inOtherValues(target, anchor.values[0]) {
		// "after the frankfurt galaxy" of "Frankfurt Galaxy" and "at
		// Frankfurt Galaxy": two games, and the question says not which.
		return nil
	}
	if anchor != nil {
		l.useEchoes(oi, anchor.from, dir)
	}
	var at, name string
	if anchor != nil {
		for i := anchor.from; i < anchor.to; i++ {
			l.use(i)
		}
		at, name = target.textExpr()+" = "+duck.QuoteString(anchor.values[0]), anchor.values[0]
	} else {
		at, name = target.expr()+" = "+sqlNum(num.num), cellText(target, num.num)
	}
	// V may hold a run of adjacent rows ("listed below Atacama" of a
	// region with three constituencies): the row just past the run; of V
	// listed in several places, the row past each, in the table's order.
	// Every run must have a row past it, else the answer would leave one out.
	if dir == 0 {
		return bothSidesPlan(target, at, name)
	}
	near, far, word := "lag", "lead", "after"
	if dir < 0 {
		near, far, word = "lead", "lag", "before"
	}
	here := "coalesce(" + at + ", false)"
	sql := "WITH r AS " + rowOrder + ", n AS (SELECT __row, " + target.ident() + ", " + here + " AS here, " +
		near + "(" + here + ") OVER (ORDER BY __row) AS nb, " + far + "(" + here + ") OVER (ORDER BY __row) AS fb FROM r) " +
		"SELECT " + target.ident() + " FROM n WHERE nb AND NOT here AND (SELECT count(*) FROM n WHERE nb AND NOT here) = " +
		"(SELECT count(*) FROM n WHERE here AND NOT coalesce(fb, false)) ORDER BY __row"
	return &plan{
		needRow: true,
		desc:    "the " + target.Name + " listed " + word + " " + name,
		sql:     sql,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "Nothing comes " + word + " " + name + "."
			}
			if len(res.Rows) > 1 {
				var rest []string
				for _, x := range res.Rows[1:] {
					rest = append(rest, cellText(target, x[0]))
				}
				return bold(cellText(target, r[0])) + " and " + andList(rest) + " come " + word + " " + name + ", which is listed in " +
					cellText(&column{}, float64(len(res.Rows))) + " places."
			}
			return bold(cellText(target, r[0])) + " comes " + word + " " + name + "."
		},
	}
}

// askedAfter reports whether the thing asked for, c, is named after the
// order word at oi by which/what ("came before which city").
func (l *linked) askedAfter(oi int, c *column) bool {
	for k := oi + 1; k+1 < len(l.words); k++ {
		if (l.words[k].w == "which" || l.words[k].w == "what") && l.words[k+1].col == c {
			l.use(k)
			return true
		}
	}
	return false
}

// useEchoes reads a second word of the same direction between the order
// word at oi and the value at to as the same request: "the next airline
// to be listed after V", "the previous album before V" ask for one row.
func (l *linked) useEchoes(oi, to, dir int) {
	for k := oi + 1; k < to && k < len(l.words); k++ {
		w := l.words[k]
		if w.col == nil && w.val == nil && !w.used && dir != 0 && (orderWords[w.w] == dir || listedWords[w.w] == dir) {
			l.use(k)
		}
	}
}

// bothSidesPlan reads "which places are above/below V", "what comes
// before and after V": the rows right before and right after the one row
// holding V, in the table's order. V held by several rows has no one pair
// of neighbours: no row is returned, and nothing is said of them.
func bothSidesPlan(target *column, at, name string) *plan {
	here := "coalesce(" + at + ", false)"
	sql := "WITH r AS " + rowOrder + ", n AS (SELECT __row, " + target.ident() + ", " + here + " AS here, " +
		"coalesce(lag(" + here + ") OVER (ORDER BY __row), false) OR coalesce(lead(" + here + ") OVER (ORDER BY __row), false) AS nb FROM r) " +
		"SELECT " + target.ident() + " FROM n WHERE nb AND NOT here AND (SELECT count(*) FROM n WHERE here) = 1 ORDER BY __row"
	return &plan{
		needRow: true,
		desc:    "the " + target.Name + " listed right before and right after " + name,
		sql:     sql,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No one row holds " + name + ", so it has no one pair of neighbours."
			}
			if len(res.Rows) == 1 {
				return bold(cellText(target, r[0])) + " is the only row next to " + name + "; nothing is listed on its other side."
			}
			return bold(cellText(target, r[0])) + " comes right before " + name + " and " + bold(cellText(target, res.Rows[1][0])) +
				" right after it."
		},
	}
}

// valueColumn reports whether a value named in the question is of c.
func (l *linked) valueColumn(c *column) bool {
	for _, v := range l.vals {
		if v.col == c {
			return true
		}
	}
	return false
}

// neighbourByPlan reads "what ship was built before V": of the rows whose
// by column comes before (after) the one row V names, those nearest to it.
// Several rows at the same nearest year are listed, not picked.
func neighbourByPlan(l *linked, oi, dir int, target, by *column) *plan {
	l.use(oi)
	if nextTo[l.words[oi-1].w] {
		l.use(oi - 1)
	}
	if len(l.vals) != 1 || len(l.vals[0].values) != 1 || l.vals[0].col == nil || l.vals[0].from < oi {
		return nil
	}
	v := l.vals[0]
	for i := v.from; i < v.to; i++ {
		l.use(i)
	}
	l.useEchoes(oi, v.from, dir)
	name := v.values[0]
	k := by.expr()
	anchor := "(SELECT max(" + k + ") FROM " + table + " WHERE " + v.col.textExpr() + " = " + duck.QuoteString(name) + ")"
	cmp, agg, word := "<", "max", "before"
	if dir > 0 {
		cmp, agg, word = ">", "min", "after"
	}
	// The anchor must be one row with a known time, else nothing is said.
	one := "(SELECT count(*) FROM " + table + " WHERE " + v.col.textExpr() + " = " + duck.QuoteString(name) + " AND " + k + " IS NOT NULL) = 1"
	sql := "SELECT " + target.ident() + ", " + by.ident() + " FROM " + table + " WHERE " + one + " AND " + k + " = (SELECT " + agg +
		"(" + k + ") FROM " + table + " WHERE " + k + " " + cmp + " " + anchor + ")"
	return &plan{
		needRow: true,
		desc:    "the " + target.Name + " with the nearest " + by.Name + " " + word + " that of " + name,
		sql:     sql,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "Nothing comes " + word + " " + name + "."
			}
			if len(res.Rows) > 1 {
				return "Several rows share the nearest " + by.Name + " (" + cellText(by, r[1]) + "), so I list them rather than pick one."
			}
			return bold(cellText(target, r[0])) + " is the nearest " + word + " " + name + ", by " + by.Name + " (" + cellText(by, r[1]) + ")."
		},
	}
}

// inOtherValues reports whether another value of c ends with v after words
// of its own ("at Frankfurt Galaxy" of "Frankfurt Galaxy": an away game;
// "Dopeman (Remix)" is a song of its own); true when c's values are not
// all known.
func (l *linked) inOtherValues(c *column, v string) bool {
	ic := l.complete(c)
	if ic == nil {
		return true
	}
	key := " " + strings.ToLower(v)
	for _, vc := range ic.Values {
		s, _ := vc.Value.(string)
		if s != v && strings.HasSuffix(strings.ToLower(s), key) {
			return true
		}
	}
	return false
}

// whoColumn reports a column "who" may ask for: people or teams.
func (s *schema) whoColumn(c *column) bool {
	if c == s.entityColumn("who") || namesAny(c.words, []string{"opponent", "opposition", "team", "club", "player",
		"name", "artist", "driver", "winner", "candidate", "athlete"}) {
		return true
	}
	for _, w := range c.words {
		if personNouns[w] {
			return true // "Cyclist", "Wrestler"
		}
	}
	return false
}
