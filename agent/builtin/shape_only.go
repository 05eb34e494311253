package builtin

import (
	"github.com/analyzerhq/analyzer/duck"
)

// "what is the only country to have a gdp per capita of 6,324?", "name the
// only candidate that was first elected in 1811", "the only year with 10
// conservative councillors": the one row under the conditions. "Only" is a
// premise the data must bear out: when not exactly one row matches, there
// is no answer.

var onlyFillers = set("to", "have", "has", "had", "with", "that", "who", "which", "was", "were", "is", "are", "be",
	"name", "one", "only", "the", "a", "an", "of", "serve", "served", "completed", "for")

func matchOnly(l *linked) *plan {
	n := len(l.words)
	oi := -1
	for i, w := range l.words {
		if w.w == "only" && w.col == nil && w.val == nil {
			oi = i
			break
		}
	}
	if oi < 0 || oi+1 >= n {
		return nil
	}
	var target *column
	if c := l.words[oi+1].col; c != nil && l.words[oi+1].val == nil {
		target = c
		for k := oi + 1; k < n && l.words[k].col == c; k++ {
			l.use(k)
		}
	} else if target = l.entityAt(oi + 1); target == nil {
		target, _ = l.askedEntity()
	}
	if target == nil {
		return nil
	}
	l.use(oi)
	// "a gdp per capita of 6,324", "10 conservative councillors": a
	// number next to a numeric column is its value.
	var conds []cond
	for i, w := range l.words {
		if !w.isNum || w.used || w.val != nil || w.decade {
			continue
		}
		var c *column
		var at []int
		if j := i + 1; j < n && l.words[j].col != nil && l.words[j].col != target && l.words[j].col.isNumeric() {
			c = l.words[j].col
			for k := j; k < n && l.words[k].col == c; k++ {
				at = append(at, k)
			}
		} else if j := i - 1; j > 0 && (l.words[j].w == "of" || l.words[j].w == "in") && l.words[j-1].col != nil && l.words[j-1].col != target &&
			l.words[j-1].col.isNumeric() {
			c = l.words[j-1].col
			at = append(at, j)
			for k := j - 1; k >= 0 && l.words[k].col == c; k-- {
				at = append(at, k)
			}
		}
		if c == nil {
			continue
		}
		l.use(at...)
		l.use(i)
		conds = append(conds, cond{sql: c.expr() + " = " + sqlNum(w.num), desc: c.Name + " is " + sqlNum(w.num)})
	}
	more, ok := l.conditions(nil)
	if !ok {
		return nil
	}
	conds = append(conds, more...)
	if len(conds) == 0 {
		return nil
	}
	for i, w := range l.words {
		for _, v := range l.vals {
			if w.col != nil && w.val == nil && v.col == w.col {
				l.use(i) // "a label of fontana"
			}
		}
		if w.col != nil && !l.words[i].used {
			if w.col != target {
				return nil // a column named but not read
			}
			l.use(i)
		}
		if onlyFillers[w.w] && w.col == nil && w.val == nil {
			l.use(i)
		}
		if w.w == "when" && w.col == nil && (target == l.s.yearColumn() || target.isTemporal()) {
			l.use(i) // "the only year with … was when?"
		}
	}
	for _, v := range l.vals {
		if v.col == target {
			return nil // the thing asked for is named: no question
		}
	}
	conds = append(conds, l.totals...)
	wh, wd := whereOf(conds)
	sql := "WITH t AS (SELECT " + target.ident() + " FROM " + table + wh + ") SELECT * FROM t WHERE (SELECT count(*) FROM t) = 1"
	return &plan{
		needRow: true,
		desc:    "the one " + target.Name + wd,
		sql:     sql,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No answer."
			}
			return bold(cellText(target, r[0])) + " is the only " + target.Name + wd + "."
		},
	}
}
