package builtin

import (
	"github.com/analyzerhq/analyzer/duck"
)

// "which country has the most birds", "what chip has the lowest flash
// size", "which department has the least number of total deputies": the
// row (or group) at the top of a ranking, named first, with the ranking as
// the table. "Most" is a count of rows unless a numeric column is named.

var superlatives = map[string]int{
	"most": 1, "highest": 1, "largest": 1, "biggest": 1, "greatest": 1, "top": 1, "longest": 1, "tallest": 1, "best": 1,
	"least": -1, "lowest": -1, "smallest": -1, "fewest": -1, "shortest": -1,
}

var countWords = set("how", "many", "count", "times")

// appearVerbs say a value stands in rows, and nothing more: how often it
// does is the count of its rows.
var appearVerbs = set("appears", "appear", "appeared", "occurs", "occur", "occurred", "shows")

// superlativeAt is the index of the question's first superlative word
// ("most", "highest") that is not part of a column name or a value, or -1.
func (l *linked) superlativeAt() int {
	for i, w := range l.words {
		if superlatives[w.w] != 0 && w.col == nil && w.val == nil {
			return i
		}
	}
	return -1
}

func matchSuperlative(l *linked) *plan {
	si := l.superlativeAt()
	if si < 0 {
		return nil
	}
	dir := superlatives[l.words[si].w]
	// The entity: the first column named before the superlative.
	var key, measure *column
	for i := 0; i < si; i++ {
		if c := l.words[i].col; c != nil && key == nil {
			key = c
			l.use(i)
		} else if c != nil && c != key {
			return nil
		}
	}
	for i := si + 1; i < len(l.words); i++ {
		if c := l.words[i].col; c != nil && c != key {
			if measure != nil && measure != c {
				return nil
			}
			measure = c
		}
	}
	if key == nil || key.isNumeric() && !key.isCategory() && key != l.s.yearColumn() {
		return nil
	}
	// "which year has the most singles" of a Single column naming the rows
	// (one single a row): a count of its rows, as "the most rows".
	counted := (*column)(nil)
	if measure != nil && !measure.isNumeric() && measure != key && l.namesRows(measure) && l.pluralColumnAfter(si, measure) {
		counted, measure = measure, nil
	}
	l.use(si)
	conds, ok := l.conditions(nil)
	if !ok {
		return nil
	}
	conds = append(conds, l.totals...)
	w, wd := whereOf(conds)
	k := key.textExpr()
	if measure != nil && measure.isNumeric() && (l.s.rows <= 0 || key.distinct != l.s.rows) {
		if p := groupTotal(l, key, measure, si, conds); p != nil {
			return p
		}
		return rankWithin(key, measure, l.words[si].w, superlatives[l.words[si].w] > 0, 1, conds[:len(conds)-len(l.totals)], l.totals)
	}
	if measure != nil && measure.isNumeric() {
		m := measure.expr()
		order := "DESC"
		if dir < 0 {
			order = "ASC"
		}
		sql := "SELECT " + key.ident() + ", " + m + " AS " + duck.QuoteIdent(measure.Name) + " FROM " + table + w +
			andWhere(w) + m + " IS NOT NULL AND " + k + " IS NOT NULL ORDER BY 2 " + order + " LIMIT 10"
		word := l.words[si].w
		return &plan{
			desc: key.Name + " with the " + word + " " + measure.Name + wd,
			sql:  sql,
			say: func(res *duck.Result) string {
				r := firstRow(res)
				if r == nil {
					return "No rows match."
				}
				if t := tiedRows(res, word, key, measure); t != "" {
					return t
				}
				return bold(cellText(key, r[0])) + " has the " + word + " " + measure.Name + ": " + cellText(measure, r[1]) + "."
			},
		}
	}
	if measure != nil || dir == 0 {
		return nil
	}
	if w := l.words[si].w; w != "most" && w != "least" && w != "fewest" {
		return nil // "the highest flash size" of text: no order to read
	}
	for i, w := range l.words {
		if appearVerbs[w.w] && w.col == nil && w.val == nil && i < si {
			l.use(i) // "which genre appears the most": the rows that hold it
		}
	}
	what := "rows"
	if counted != nil {
		for i := si + 1; i < len(l.words); i++ {
			if l.words[i].col == counted {
				what = l.words[i].w
				l.use(i)
			}
		}
	} else if n := l.useRowNouns(); n != "" {
		what = n // "which origin has the most flights"
	} else if j := si + 1; isWinnerColumn(key) && j < len(l.words) && l.words[j].col == nil && l.words[j].val == nil &&
		!l.words[j].isNum && l.words[j].w != l.words[j].s && !stopWords[l.words[j].w] && !knownWord(l.words[j].w) {
		// "who won the most races": each row is one race won.
		what = l.words[j].w
		l.use(j)
	}
	order := "DESC"
	if dir < 0 {
		order = "ASC"
	}
	sql := "SELECT " + key.ident() + ", count(*) AS " + duck.QuoteIdent(what) + " FROM " + table + w + andWhere(w) + k + " IS NOT NULL GROUP BY 1 ORDER BY 2 " +
		order + ", 1 LIMIT 10"
	word := l.words[si].w
	return &plan{
		desc: key.Name + " with the " + word + " " + what + wd,
		sql:  sql,
		bar:  what + " by " + key.Name + wd,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No rows match."
			}
			if len(res.Rows) > 1 && res.Rows[1][1] == r[1] {
				return "No single " + key.Name + " has the " + word + " " + what + ": " + cellText(key, r[0]) + " and " +
					cellText(key, res.Rows[1][0]) + " both have " + cellText(&column{}, r[1]) + "."
			}
			return bold(cellText(key, r[0])) + " has the " + word + " " + what + ": " + cellText(&column{}, r[1]) + "."
		},
	}
}

// andWhere continues a WHERE clause, or starts one.
func andWhere(w string) string {
	if w == "" {
		return " WHERE "
	}
	return " AND "
}

// namesRows reports a text column that names the table's rows: mostly
// different values, in nearly every row (a Single column, one single a row).
func (l *linked) namesRows(c *column) bool {
	return c.kind == duck.KindText && !c.numText && c.dateFmt == "" && l.s.rows > 1 &&
		c.distinct*5 >= l.s.rows*3 && c.nonNull*5 >= l.s.rows*4
}

// pluralColumnAfter reports that the column is named after word i in the
// plural ("singles" of Single): the rows it names, counted.
func (l *linked) pluralColumnAfter(i int, c *column) bool {
	for k := i + 1; k < len(l.words); k++ {
		if w := l.words[k]; w.col == c && w.w != w.s && (k+1 == len(l.words) || l.words[k+1].col != c) {
			return true
		}
	}
	return false
}
