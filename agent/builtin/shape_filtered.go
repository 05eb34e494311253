package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// "which mountain peak has a prominence more than 10,000 ft?", "which has a
// distance less than 3.0 km?", "what counties are smaller than 10,000
// km2?": the rows whose number passes a comparison, named by the thing
// asked for. A comparison with a number is required: a plain value is a
// lookup.

var filteredFillers = set("has", "have", "had", "is", "are", "was", "were", "with", "that", "a", "an", "the", "of",
	"did", "do", "does", "name", "list", "all", "ones", "at", "in")

func matchFiltered(l *linked) *plan {
	n := len(l.words)
	if n < 4 {
		return nil
	}
	var target *column
	switch l.words[0].w {
	case "which", "what", "who":
		target, _ = l.askedEntity()
	case "name", "list":
		l.use(0)
		i := 1
		if i < n && (l.words[i].w == "the" || l.words[i].w == "a" || l.words[i].w == "all") {
			i++
		}
		if i < n && l.words[i].col != nil && l.words[i].val == nil {
			target = l.words[i].col
		} else {
			target = l.entityAt(i)
		}
	}
	if target == nil || target.isNumeric() && !target.isCategory() {
		return nil
	}
	for k := range l.words {
		if l.words[k].col == target && l.words[k].val == nil {
			l.use(k)
		}
	}
	conds, ok := l.conditions(nil)
	if !ok {
		return nil
	}
	compared := false
	for _, c := range conds {
		compared = compared || strings.ContainsAny(c.sql, "<>") && !strings.Contains(c.sql, "IS DISTINCT")
	}
	if !compared {
		return nil
	}
	for i, w := range l.words {
		if w.col != nil && !w.used {
			return nil // a column named but not read
		}
		if filteredFillers[w.w] && w.col == nil && w.val == nil {
			l.use(i)
		}
	}
	conds = append(conds, l.totals...)
	wh, wd := whereOf(conds)
	sql := "SELECT " + target.ident() + " FROM " + table + wh + andWhere(wh) + target.ident() + " IS NOT NULL"
	return &plan{
		needRow: true,
		desc:    "the " + target.Name + " values" + wd,
		sql:     sql,
		say: func(res *duck.Result) string {
			if len(res.Rows) == 1 {
				return bold(cellText(target, res.Rows[0][0])) + " is the one " + target.Name + wd + "."
			}
			var names []string
			for i, r := range res.Rows {
				if i == 5 {
					names = append(names, "…")
					break
				}
				names = append(names, cellText(target, r[0]))
			}
			return itoa(len(res.Rows)) + " rows" + wd + ": " + strings.Join(names, ", ") + "."
		},
	}
}
