package builtin

import (
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// "what is the diameter of maria", "the total number of helipads at hama
// military airport", "who won in 1998": a column's value in the one row a
// value names.

func matchLookup(l *linked) *plan {
	if len(l.vals) == 0 && !l.hasDate() && !l.hasNumValue() {
		return nil
	}
	// "the city of angono": the value's own column named before it is
	// part of the value, not the column asked for.
	named := map[int]bool{}
	for _, v := range l.vals {
		for i := v.from - 1; i >= 0 && v.col != nil && (l.words[i].col == v.col || l.words[i].w == "of" || l.words[i].w == "the"); i-- {
			if l.words[i].col == v.col {
				named[i] = true
			}
		}
	}
	var target *column
	nounPlural := false // the rows' noun asked for in the plural
	for i, w := range l.words {
		if w.col != nil && !named[i] {
			if target != nil && target != w.col {
				return nil
			}
			target = w.col
			l.use(i)
		}
	}
	if target == nil && len(l.words) > 0 && l.words[0].w == "who" {
		target = l.s.entityColumn("who") // "who is from leeds": the person's column
	}
	if target == nil && len(l.words) > 1 && (l.words[0].w == "which" || l.words[0].w == "what") {
		// "which movie was a film debut": the noun names the rows.
		if target = l.entityAt(1); target != nil {
			l.use(0)
			nounPlural = l.words[1].w != l.words[1].s
		}
	}
	if target == nil {
		target = l.howLong() // "how long did it take V to finish": V's duration
	}
	if target == nil {
		return nil
	}
	for _, v := range l.vals {
		if v.col == target {
			return nil // "who recorded Fifth" would say Fifth back
		}
	}
	for _, w := range l.words {
		if w.isNum && w.numCol == target && !w.decade {
			return nil // "goals … in the 2011 season": the season is the condition, not the answer
		}
	}
	// "which films starred prema": a plural asks for every row that
	// matches, not for the one.
	plural := nounPlural && !target.isNumeric()
	for _, w := range l.words {
		if w.col == target && w.used && w.w != w.s && !target.isNumeric() {
			plural = true
		}
	}
	if countHead(l) >= 0 && !target.isNumeric() {
		return nil // "how many adams incumbents": a count, not the incumbents
	}
	// "how many females live in cuttack" of a District and a Headquarters
	// column both holding Cuttack: the row either names. Only here, where
	// the answer must be one row: two rows and it says so.
	for _, v := range l.vals {
		if v.col == nil && len(v.cands) > 1 && v.byCol[target] == nil {
			v.anyCol = true
			defer func(v *valueLink) { v.anyCol = false }(v)
		}
	}
	for i, w := range l.words {
		if w.w == "how" || w.w == "many" || w.w == "much" || w.w == "when" || w.w == "who" || w.w == "also" {
			l.use(i)
		}
	}
	conds, ok := l.conditions(nil)
	if !ok {
		return nil
	}
	if h := countHead(l); h >= 0 {
		l.usePredicate()
		// "how many immigrants came from cuba in 1972-1979": the noun
		// after "how many" says what the named column's numbers count.
		if h < len(l.words) && target.isNumeric() {
			if w := l.words[h]; w.col == nil && w.val == nil && !w.isNum && w.date == nil && w.w != w.s && !knownWord(w.w) {
				l.use(h)
			}
		}
	}
	for i, w := range l.words {
		// "in the period 1972-1979": the column is a period.
		if (w.w == "period" || w.w == "years") && w.col == nil && w.val == nil && i+1 < len(l.words) && l.words[i+1].col == target {
			l.use(i)
		}
	}
	w, wd := whereOf(conds)
	return &plan{
		desc: target.Name + wd,
		sql:  "SELECT " + target.ident() + " FROM " + table + w + " LIMIT 11",
		say: func(res *duck.Result) string {
			if res == nil || len(res.Rows) == 0 {
				return "No row matches."
			}
			if len(res.Rows) > 1 && plural && len(res.Rows) <= 10 {
				var names []string
				for _, r := range res.Rows {
					names = append(names, bold(cellText(target, r[0])))
				}
				return andList(names) + ": the " + numfmt.Count(int64(len(res.Rows))) + " " + target.Name + " values" + wd + "."
			}
			if len(res.Rows) > 1 && len(res.Rows) <= 10 && !target.isNumeric() && sameCells(target, res.Rows) {
				// "a and b were on what album": both rows say the same. Not
				// of numbers: "how many goals did V score" of two seasons
				// of 10 is 20, not 10.
				all := "all " + numfmt.Count(int64(len(res.Rows)))
				if len(res.Rows) == 2 {
					all = "both"
				}
				return bold(cellText(target, res.Rows[0][0])) + " is the " + target.Name + wd + ": " + all + " rows that match have it."
			}
			if len(res.Rows) > 1 {
				return "Several rows match (shown below), so there is no single " + target.Name + "."
			}
			return bold(cellText(target, res.Rows[0][0])) + " is the " + target.Name + wd + "."
		},
	}
}

// hasNumValue reports whether a number of the question is a value of the
// one column holding it ("in 1999" of an Election column).
func (l *linked) hasNumValue() bool {
	for _, w := range l.words {
		if w.isNum && w.numCol != nil && !w.decade {
			return true
		}
	}
	return false
}

// auxVerbs open a question about a named row: "how many laps did V race".
var auxVerbs = set("did", "does", "do", "has", "have", "had")

// usePredicate reads the verb of "how many laps did tony stewart race (in
// 2012)", "how many points did V get": one word right after the named row
// and closing the question (or followed only by words already read) says
// what the row did to have its number, and adds no condition. A verb of
// winning or losing, a negation or a comparison changes the question and
// stays unplaced.
func (l *linked) usePredicate() {
	for _, v := range l.vals {
		k := v.to
		if v.from == 0 || !auxVerbs[l.words[v.from-1].w] || k >= len(l.words) {
			continue
		}
		w := l.words[k]
		if w.used || w.col != nil || w.val != nil || w.isNum || w.date != nil || winVerbs[w.w] || lossWords[w.w] ||
			cmpWordsL[w.w] != "" || w.w == "not" || w.w == "never" || w.w == "no" || stopWords[w.w] {
			continue
		}
		rest := true
		for j := k + 1; j < len(l.words); j++ {
			if !l.words[j].used && !stopWords[l.words[j].w] {
				rest = false
			}
		}
		if rest {
			l.use(k)
		}
	}
}

// sameCells reports whether every row's first cell reads the same.
func sameCells(c *column, rows [][]any) bool {
	for _, r := range rows[1:] {
		if cellText(c, r[0]) != cellText(c, rows[0][0]) {
			return false
		}
	}
	return true
}
