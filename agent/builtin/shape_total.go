package builtin

import (
	"cmp"
	"github.com/analyzerhq/analyzer/duck"
)

// "what is the total precipitation", "what was the average attendance in
// 2011", "the total number of goals of all players": a numeric column
// added up or averaged over the rows under the conditions, leaving out a
// table's own total row (which would count everything twice).

var totalAggs = map[string]string{"total": "sum", "sum": "sum", "combined": "sum", "average": "avg", "mean": "avg",
	"maximum": "max", "max": "max", "highest": "max", "largest": "max", "longest": "max", "biggest": "max", "greatest": "max",
	"minimum": "min", "min": "min", "lowest": "min", "smallest": "min", "shortest": "min"}

// comparedAfter reports a comparison with a number just after the column
// named from word k ("scores were less than", "points above"): the column
// is a condition there.
func (l *linked) comparedAfter(k int) bool {
	c := l.words[k].col
	for k < len(l.words) && l.words[k].col == c {
		k++
	}
	for k < len(l.words) && linkVerbs[l.words[k].w] {
		k++
	}
	return k < len(l.words) && l.words[k].col == nil && l.comparisonAt(k) && superlatives[l.words[k].w] == 0
}

// countedVerbs say a number was counted without a condition of their own.
var countedVerbs = set("counted", "seen", "observed", "spotted", "sold", "produced", "were", "was", "are", "is", "there", "in", "all", "total")

func matchTotal(l *linked) *plan {
	n := len(l.words)
	ai := -1
	howMany := false
	if n > 2 && l.words[0].w == "how" && (l.words[1].w == "many" || l.words[1].w == "much") && l.words[2].col != nil &&
		l.words[2].val == nil {
		// "how many birds were counted in peru": the birds added up.
		ai, howMany = 1, true
		l.use(0)
	}
	if n > 0 && (l.words[0].w == "who" || l.words[0].w == "which") {
		return nil // "who has the least losses" asks for a row, not the figure
	}
	for i, w := range l.words {
		if howMany {
			break
		}
		if totalAggs[w.w] != "" && w.col == nil && w.val == nil {
			ai = i
			break
		}
		if !stopWords[w.w] && w.w != "whats" {
			return nil // the aggregate comes first
		}
	}
	if ai < 0 || l.words[0].w == "which" || l.words[0].w == "who" {
		return nil // "which is the largest days held" asks for a row, not a value
	}
	if howMany && l.comparedAfter(2) {
		return nil // "how many scores were less than -14": rows counted, not scores added
	}
	fn := totalAggs[l.words[ai].w]
	if howMany {
		fn = "sum"
		for i, w := range l.words {
			if (lightVerbs[w.w] || countedVerbs[w.w]) && w.col == nil && w.val == nil {
				l.use(i)
			}
		}
	}
	l.use(ai)
	j := ai + 1
	for j < n && l.words[j].col == nil && l.words[j].val == nil &&
		(l.words[j].w == "number" || l.words[j].w == "amount" || l.words[j].w == "of" || l.words[j].w == "the") {
		l.use(j)
		j++
	}
	if j >= n || l.words[j].col == nil || l.words[j].val != nil {
		return nil
	}
	x := l.words[j].col
	if l.words[j].adj {
		return nil // "what is the deepest lake": a row, not the depth
	}
	if howMany && x.isCategory() && countedNoun(x.words) == nil {
		return nil // "how many ratings are there": not the ratings added up
	}
	if !x.isNumeric() || x.isCategory() && (x.kind == duck.KindText || x.isIdentifier()) || x == l.s.cols[0] || rankNames[x.words[0]] && countedNoun(x.words) == nil {
		return nil // a table's first column, a rank: labels of rows, not amounts
	}
	for ; j < n && l.words[j].col == x; j++ {
		l.use(j)
	}
	// "of all departments", "for all the players": every row.
	for i, w := range l.words {
		if w.col != nil && w.col != x && w.val == nil && !w.col.isNumeric() && i > 0 &&
			(l.words[i-1].w == "all" || l.words[i-1].w == "each" || l.words[i-1].w == "the" && i > 1 && l.words[i-2].w == "all") {
			for k := i; k < n && l.words[k].col == w.col; k++ {
				l.use(k)
			}
		}
	}
	l.useWinVerbs()
	l.useRowNouns() // "the average distance of flights"
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
	reading := ""
	what := map[string]string{"sum": "total ", "avg": "average ", "max": "maximum ", "min": "minimum "}[fn] + x.Name
	if howMany {
		what, reading = x.Name, "the total "+x.Name
	}
	if fn == "max" || fn == "min" {
		what = l.words[ai].w + " " + x.Name // "the longest distance"
		if l.words[ai].w == "max" || l.words[ai].w == "min" {
			what = map[string]string{"max": "maximum ", "min": "minimum "}[fn] + x.Name
		}
	}
	return &plan{
		desc: cmp.Or(reading, "the "+what) + wd,
		sql:  "SELECT " + fn + "(" + x.expr() + ") AS " + duck.QuoteIdent(what) + " FROM " + table + wh,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil || r[0] == nil {
				return "No rows match."
			}
			if howMany {
				return bold(cellText(x, r[0])) + " " + what + " in all" + wd + "."
			}
			return "The " + what + wd + " is " + bold(cellText(x, r[0])) + "."
		},
	}
}
