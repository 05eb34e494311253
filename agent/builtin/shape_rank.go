package builtin

import (
	"github.com/analyzerhq/analyzer/duck"
)

// "which company had the least revenue", "who has the highest score",
// "which submarine had the most tonnage": the row at the top of a numeric
// column, answered with the column the question asks for (a column named
// after which/what, the table's name column for a noun of its own, or a
// person's column for "who"). Only when that column names each row once:
// a column with repeated values asks for groups (the superlative shape and
// the older grammar read those).

// lightVerbs say that a row has its number without adding a condition
// ("scored the most goals", "received the fewest votes").
var lightVerbs = set("scored", "score", "scores", "received", "receive", "got", "get", "earned", "recorded",
	"won", "win", "wins", "had", "has", "have", "achieved", "gained", "collected", "obtained")

func matchRank(l *linked) *plan {
	si := l.superlativeAt()
	if si < 0 {
		return nil
	}
	key, ki := l.askedEntity()
	name := l.words[0].w == "name" || l.words[0].w == "list"
	if j := 1; key == nil && name && l.words[0].col == nil && j < si {
		// "list the building with the fewest floors"
		if l.words[j].w == "the" {
			j++
		}
		if c := l.entityAt(j); c != nil {
			key, ki = c, j
			l.use(0)
		}
	}
	if key == nil && (l.words[0].w == "what" || l.words[0].w == "which" || name) {
		// "what is the deepest lake": the thing asked for follows the
		// superlative (and the column word it stands for).
		k := si + 1
		for k < len(l.words) && l.words[k].adj {
			k++
		}
		if c := l.entityAt(k); c != nil && k == len(l.words)-1 && (!name || l.words[0].col == nil || l.words[0].col == c) {
			// "name the tallest building": the same, asked outright.
			key, ki = c, si
			if name {
				l.use(0)
			}
		}
	}
	if key == nil || ki > si {
		return nil
	}
	for i := 0; i <= ki; i++ {
		if l.words[i].col == key {
			l.use(i)
		}
	}
	var measure *column
	mi := -1
	for i, w := range l.words {
		if w.col != nil && w.col != key && !w.used {
			if measure != nil && measure != w.col || !w.col.isNumeric() {
				return nil
			}
			measure, mi = w.col, i
			l.use(i)
		}
	}
	if measure == nil || mi < si || l.s.rows <= 0 || key.distinct < l.s.rows {
		return nil
	}
	l.use(si)
	for i, w := range l.words {
		if lightVerbs[w.w] && w.col == nil && w.val == nil {
			l.use(i)
		}
	}
	conds, ok := l.conditions(nil)
	if !ok {
		return nil
	}
	conds = append(conds, l.totals...)
	w, wd := whereOf(conds)
	m := measure.expr()
	dir := superlatives[l.words[si].w]
	order := "DESC"
	if dir < 0 {
		order = "ASC"
	}
	word := l.words[si].w
	sql := "SELECT " + key.ident() + ", " + m + " AS " + duck.QuoteIdent(measure.Name) + " FROM " + table + w +
		andWhere(w) + m + " IS NOT NULL AND " + key.ident() + " IS NOT NULL ORDER BY 2 " + order + " LIMIT 10"
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
