package builtin

import (
	"math"
	"strconv"

	"github.com/analyzerhq/analyzer/duck"
)

// "how many more previous points does A have than B", "what is the
// difference in frequency between A and B", "how many more times did A win
// than B": two values of one column, and the difference of a numeric
// column between their rows (each must be one row), or of their counts of
// rows when no numeric column is named.

// diffAdjectives are the comparatives of "how much larger … than", each
// with its opposite, said when the difference goes the other way.
var diffAdjectives = map[string]string{"larger": "smaller", "bigger": "smaller", "greater": "smaller",
	"higher": "lower", "smaller": "larger", "lower": "higher", "longer": "shorter", "shorter": "longer",
	"taller": "shorter", "heavier": "lighter", "lighter": "heavier", "older": "younger", "younger": "older"}

var diffWords = set("how", "many", "much", "more", "fewer", "less", "difference", "between", "and", "than", "times",
	"did", "does", "do", "have", "has", "had", "in", "of", "the", "for", "what", "is", "was")

func matchDiff(l *linked) *plan {
	if len(l.vals) != 2 {
		return nil
	}
	a, b := l.vals[0], l.vals[1]
	if a.col == nil || a.col != b.col || len(a.values) != 1 || len(b.values) != 1 {
		return nil
	}
	key := a.col
	// The trigger: "how many/much more|fewer|less" or "difference".
	isDiff, more, adj := false, 0, ""
	for i, w := range l.words {
		if w.col != nil || w.val != nil {
			continue
		}
		switch {
		case w.w == "difference":
			isDiff = true
		case (w.w == "more" || w.w == "fewer" || w.w == "less") && i >= 2 && l.words[i-2].w == "how" &&
			(l.words[i-1].w == "many" || l.words[i-1].w == "much"):
			more = 1
			if w.w != "more" {
				more = -1
			}
		case diffAdjectives[w.w] != "" && i >= 2 && l.words[i-2].w == "how" && l.words[i-1].w == "much":
			// "how much larger was the population of A than (that of) B"
			more, adj = 1, w.w
			l.use(i)
		}
	}
	if !isDiff && more == 0 {
		return nil
	}
	if more != 0 {
		// "than" must stand between the two values.
		than := -1
		for i, w := range l.words {
			if w.w == "than" && w.val == nil {
				than = i
			}
		}
		if than < a.to || than > b.from {
			return nil
		}
	}
	for _, v := range l.vals {
		for i := v.from; i < v.to; i++ {
			l.use(i)
		}
	}
	var measure *column
	for i, w := range l.words {
		if w.col != nil && w.col != key {
			if measure != nil && measure != w.col || !w.col.isNumeric() {
				return nil
			}
			measure = w.col
			l.use(i)
		}
		if w.col == key {
			l.use(i)
		}
	}
	counted := false
	for i, w := range l.words {
		if diffWords[w.w] && w.col == nil && w.val == nil {
			l.use(i)
			if w.w == "times" {
				counted = true
			}
		}
		if lightVerbs[w.w] && w.col == nil && w.val == nil {
			l.use(i)
		}
	}
	noun := l.useRowNouns() // "how many more rain days than sun days"
	if measure != nil && (counted || noun != "") || adj != "" && measure == nil {
		return nil // "how much larger was A than B": larger in what is not said
	}
	conds, ok := l.conditions(map[*valueLink]bool{a: true, b: true})
	if !ok {
		return nil
	}
	conds = append(conds, l.totals...)
	w, wd := whereOf(conds)
	one := func(v string) string {
		at := w + andWhere(w) + key.textExpr() + " = " + duck.QuoteString(v)
		if measure == nil {
			return "(SELECT count(*) FROM " + table + at + ")"
		}
		return "(SELECT CASE WHEN count(*) = 1 THEN max(" + measure.expr() + ") END FROM " + table + at + ")"
	}
	an, bn := a.values[0], b.values[0]
	if _, err := strconv.ParseFloat(an, 64); err == nil {
		an = key.Name + " " + an // "Week 1", not a bare 1
	}
	if _, err := strconv.ParseFloat(bn, 64); err == nil {
		bn = key.Name + " " + bn
	}
	what := "rows"
	if noun != "" {
		what = noun
	}
	if measure != nil {
		what = measure.Name
	}
	sql := "SELECT a AS " + duck.QuoteIdent(an) + ", b AS " + duck.QuoteIdent(bn) + ", a - b AS difference FROM (SELECT " +
		one(a.values[0]) + " AS a, " + one(b.values[0]) + " AS b)"
	return &plan{
		desc: "the difference in " + what + " between " + an + " and " + bn + wd,
		sql:  sql,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil || r[2] == nil {
				return an + " and " + bn + " are not one row each with a " + what + ", so there is no one difference."
			}
			d, ok := duck.ToFloat(r[2])
			if !ok {
				return "No answer."
			}
			c := measure
			if c == nil {
				c = &column{}
			}
			word := "more"
			if d < 0 {
				word = "fewer"
			}
			if adj != "" {
				word := adj
				if d < 0 {
					word = diffAdjectives[adj]
				}
				return "The " + what + " of " + an + " is " + bold(cellText(c, math.Abs(d))) + " " + word + " than that of " + bn +
					" (" + cellText(c, r[0]) + " against " + cellText(c, r[1]) + ")."
			}
			if isDiff && more == 0 {
				return "The difference is " + bold(cellText(c, math.Abs(d))) + ": " + an + " has " + cellText(c, r[0]) +
					", " + bn + " " + cellText(c, r[1]) + "."
			}
			return an + " has " + bold(cellText(c, math.Abs(d))) + " " + word + " " + what + " than " + bn + " (" +
				cellText(c, r[0]) + " against " + cellText(c, r[1]) + ")."
		},
	}
}
