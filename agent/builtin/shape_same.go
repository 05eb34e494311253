package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// "which woods has the same acreage as hardwick wood?", "what director is
// listed with the same original air date as jeremiah chechik?", "how many
// games were held in the same stadium as the one on 4 march 2000": the
// other rows whose column C holds what the named row's C holds. The named
// row must hold one value of C (else there is no "same"); it is left out
// of the answer.

var sameFillers = set("same", "as", "the", "one", "that", "of", "with", "listed", "number", "amount", "in", "at", "on")

func matchSame(l *linked) *plan {
	si := l.find(set("same"))
	if si < 0 {
		return nil
	}
	// The compared column right after "same" ("same number of wins").
	k := si + 1
	for k < len(l.words) && (l.words[k].w == "number" || l.words[k].w == "amount" || l.words[k].w == "of") && l.words[k].col == nil {
		k++
	}
	if k >= len(l.words) {
		return nil
	}
	c := l.words[k].col
	switch {
	case c != nil:
		for k < len(l.words) && l.words[k].col == c {
			k++
		}
	case kindNouns[l.words[k].s] || nounClasses[l.words[k].s] != nil:
		// "the same director as": a kind of column, by its noun.
		if c = l.entityAt(k); c == nil {
			return nil
		}
		k++
	default:
		return nil
	}
	// "as V", "as the one on DATE", "as that of V".
	if k >= len(l.words) || l.words[k].w != "as" {
		return nil
	}
	start := k
	for k++; k < len(l.words) && l.words[k].col == nil && l.words[k].val == nil && l.words[k].date == nil && sameFillers[l.words[k].w]; k++ {
	}
	l.use(si)
	for i := si + 1; i < start; i++ {
		l.use(i)
	}
	for i := start; i < k; i++ {
		l.use(i)
	}
	// The anchor: the one value named after "as", or the date there.
	var anchor *valueLink
	for _, v := range l.vals {
		if v.from >= start {
			if anchor != nil || v.col == nil || v.col == c {
				return nil
			}
			anchor = v
		}
	}
	var at []cond
	if anchor != nil {
		var lits []string
		for _, x := range anchor.values {
			lits = append(lits, duck.QuoteString(x))
		}
		at = []cond{{sql: anchor.col.textExpr() + " IN (" + strings.Join(lits, ", ") + ")", desc: anchor.values[0]}}
		for i := anchor.from; i < anchor.to; i++ {
			l.use(i)
		}
	} else {
		// A date after "as" is the anchor ("the one on 4 march 2000").
		ds, ok := l.dateConds()
		if !ok || len(ds) != 1 {
			return nil
		}
		for i := start; i < len(l.words); i++ {
			if l.words[i].date == nil && !l.words[i].used {
				return nil // words after the date the anchor does not read
			}
		}
		at = ds
		at[0].desc = "the row where " + at[0].desc
	}
	// "how many championship games", "does any airbase": the rows, named
	// by up to two words of their own.
	head := countHead(l)
	any := -1
	if len(l.words) > 2 && yesNo[l.words[0].w] && (l.words[1].w == "any" || l.words[1].w == "there" && l.words[2].w == "any") {
		any = 2
		if l.words[1].w == "there" {
			any = 3
		}
		l.use(0, 1, 2)
	}
	var target *column
	noun := l.s.rowsWord()
	if h := max(head, any); h >= 0 {
		l.useRowNouns()
		for i := h; i < h+2 && i < si; i++ {
			if w := l.words[i]; w.col == nil && w.val == nil && !w.isNum && w.date == nil && !stopWords[w.w] {
				l.use(i)
				noun = w.w
			}
		}
	} else if target, _ = l.askedEntity(); target == nil || target == c {
		return nil
	}
	skip := map[*valueLink]bool{}
	if anchor != nil {
		skip[anchor] = true
	}
	conds, ok := l.conditions(skip)
	if !ok {
		return nil
	}
	for i, w := range l.words {
		if w.col != nil && !w.used && w.col != target {
			return nil // a column named but not read
		}
		if w.col == target && target != nil {
			l.use(i)
		}
	}
	aw, _ := whereOf(at)
	// The anchor's rows must hold one value of C; the answer leaves them
	// out. IN, not "= (SELECT v FROM a)": DuckDB evaluates a scalar
	// subquery of several rows as an error even when the guard is false.
	same := "WITH a AS (SELECT DISTINCT " + c.ident() + " AS v FROM " + table + aw + " AND " + c.ident() + " IS NOT NULL) "
	where := " WHERE " + c.ident() + " IN (SELECT v FROM a) AND (SELECT count(*) FROM a) = 1 AND NOT (" + at[0].sql + ")"
	for _, x := range append(conds, l.totals...) {
		where += " AND " + x.sql
	}
	_, wd := whereOf(conds)
	desc := "the same " + c.Name + " as " + at[0].desc + wd
	if any >= 0 {
		return &plan{
			desc: "whether another row has " + desc,
			sql:  same + "SELECT count(*) AS " + duck.QuoteIdent("rows") + " FROM " + table + where + " HAVING (SELECT count(*) FROM a) = 1",
			say: func(res *duck.Result) string {
				r := firstRow(res)
				if r == nil {
					return "No answer: " + at[0].desc + " does not hold one " + c.Name + "."
				}
				if n := cellText(&column{}, r[0]); n != "0" {
					return bold("Yes") + ": " + n + " other " + noun + " have " + desc + "."
				}
				return bold("No") + ", no other row has " + desc + "."
			},
		}
	}
	if head >= 0 {
		return &plan{
			desc:    "the number of other " + noun + " with " + desc,
			sql:     same + "SELECT count(*) AS " + duck.QuoteIdent(noun) + " FROM " + table + where + " HAVING (SELECT count(*) FROM a) = 1",
			needRow: true,
			say: func(res *duck.Result) string {
				r := firstRow(res)
				if r == nil {
					return "No answer."
				}
				return bold(cellText(&column{}, r[0])) + " other " + noun + " have " + desc + "."
			},
		}
	}
	return &plan{
		needRow: true,
		desc:    "the " + target.Name + " of the other rows with " + desc,
		sql:     same + "SELECT " + target.ident() + ", " + c.ident() + " FROM " + table + where,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No answer."
			}
			var rest []string
			for _, x := range res.Rows[1:] {
				rest = append(rest, cellText(target, x[0]))
			}
			s := bold(cellText(target, r[0]))
			if len(rest) > 0 {
				s += " (and " + andList(rest) + ")"
			}
			return s + " has the same " + c.Name + " as " + at[0].desc + ": " + cellText(c, r[1]) + "."
		},
	}
}
