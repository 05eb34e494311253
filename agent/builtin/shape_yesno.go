package builtin

import (
	"math"

	"github.com/analyzerhq/analyzer/duck"
)

// "did A score more goals than B?", "is A longer than B?", "does A have more
// or less people than B?", "is the peak of A above or below the peak of
// B?": two named rows of one column compared by a numeric column, answered
// Yes/No (or with the word of the pair that holds) and both values.

var moreWords = set("more", "higher", "greater", "larger", "bigger", "longer", "taller", "above", "over", "heavier",
	"older", "wider", "deeper")
var lessWords = set("less", "fewer", "lower", "smaller", "shorter", "below", "under", "lighter", "younger",
	"narrower", "shallower")

// measureNouns stand for a kind of numeric column ("more people").
var measureNouns = map[string][]string{
	"people": {"population", "inhabitants"}, "inhabitants": {"population", "inhabitants"},
	"residents": {"population"}, "votes": {"votes", "vote"}, "goals": {"goals"}, "points": {"points", "pts"},
}

var yesNoFillers = set("there", "score", "scored", "get", "got", "receive", "received", "earn", "earned", "win", "won",
	"finish", "finished", "than", "compared", "to", "or", "that", "of", "the", "have", "has", "had")

func matchYesNo(l *linked) *plan {
	n := len(l.words)
	if n < 5 || !yesNo[l.words[0].w] || len(l.vals) != 2 {
		return nil
	}
	a, b := l.vals[0], l.vals[1]
	if a.col == nil || a.col != b.col || len(a.values) != 1 || len(b.values) != 1 || a.values[0] == b.values[0] {
		return nil
	}
	key := a.col
	l.use(0)
	for _, v := range l.vals {
		for i := v.from; i < v.to; i++ {
			l.use(i)
		}
	}
	// The comparison: one word, or a pair "more or less".
	ci, pair := -1, false
	for i, w := range l.words {
		if w.col != nil || w.val != nil || !(moreWords[w.w] || lessWords[w.w]) {
			continue
		}
		if ci >= 0 {
			if pair || i != ci+2 || l.words[ci+1].w != "or" || moreWords[w.w] == moreWords[l.words[ci].w] {
				return nil
			}
			pair = true
			l.use(i)
			continue
		}
		ci = i
		l.use(i)
	}
	thanBetween := false
	for i := a.to; i < b.from; i++ {
		thanBetween = thanBetween || l.words[i].w == "than"
	}
	if ci < 0 || (ci < a.to || ci > b.from) && !(ci < a.from && thanBetween) {
		return nil // the comparison stands between the two rows, or before "A than B"
	}
	more := moreWords[l.words[ci].w]
	// The measure: one numeric column named, or a noun for one.
	var m *column
	for i, w := range l.words {
		if w.col != nil && w.val == nil && w.col != key {
			if m != nil && m != w.col || !w.col.isNumeric() {
				return nil
			}
			m = w.col
			l.use(i)
		}
		if w.col == key && w.val == nil {
			l.use(i)
		}
	}
	if m == nil {
		for i, w := range l.words {
			if names, ok := measureNouns[w.w]; ok && !w.used && w.col == nil && w.val == nil {
				if m = l.s.columnNamed(names); m != nil {
					l.use(i)
					break
				}
			}
		}
	}
	if m == nil && key.isCategory() {
		if noun := l.useRowNouns(); noun != "" {
			for i, w := range l.words {
				if yesNoFillers[w.w] && w.col == nil && w.val == nil {
					l.use(i)
				}
			}
			return yesNoCount(key, a.values[0], b.values[0], l.words[ci].w, more, noun)
		}
	}
	if m == nil || m == key {
		return nil
	}
	for i, w := range l.words {
		if yesNoFillers[w.w] && w.col == nil && w.val == nil {
			l.use(i)
		}
	}
	an, bn := a.values[0], b.values[0]
	first, second := l.words[ci].w, ""
	if pair {
		second = l.words[ci+2].w
	}
	// Both rows, once each, with a value; else no row (and no answer).
	sql := "WITH t AS (SELECT " + key.ident() + ", " + m.expr() + " AS " + m.ident() + " FROM " + table + " WHERE " +
		key.textExpr() + " IN (" + duck.QuoteString(an) + ", " + duck.QuoteString(bn) + ") AND " + m.expr() +
		" IS NOT NULL) SELECT * FROM t WHERE (SELECT count(*) FROM t) = 2 AND (SELECT count(DISTINCT " + key.ident() + ") FROM t) = 2"
	return &plan{
		needRow: true,
		desc:    "whether " + an + " has " + first + " " + m.Name + " than " + bn,
		sql:     sql,
		say: func(res *duck.Result) string {
			if res == nil || len(res.Rows) != 2 {
				return "These are not one row each, so I list them rather than compare."
			}
			var av, bv float64
			var at, bt string
			found := 0
			for _, r := range res.Rows {
				f, ok := duck.ToFloat(r[1])
				if !ok {
					return "One of them has no " + m.Name + ", so I can't compare."
				}
				switch cellText(key, r[0]) {
				case an:
					av, at = f, cellText(m, r[1])
					found |= 1
				case bn:
					bv, bt = f, cellText(m, r[1])
					found |= 2
				}
			}
			if found != 3 {
				return "These are not one row each, so I list them rather than compare."
			}
			vals := " (" + an + ": " + at + ", " + bn + ": " + bt + ")."
			if av == bv || math.IsNaN(av-bv) {
				if pair {
					return bold("Neither") + ": " + an + " and " + bn + " have the same " + m.Name + vals
				}
				return bold("No") + ": " + an + " and " + bn + " have the same " + m.Name + vals
			}
			holds := (av > bv) == more
			switch {
			case pair && holds:
				return bold(first) + ": " + an + " has " + first + " " + m.Name + " than " + bn + vals
			case pair:
				return bold(second) + ": " + an + " has " + second + " " + m.Name + " than " + bn + vals
			case holds:
				return bold("Yes") + ", " + an + " has " + first + " " + m.Name + " than " + bn + vals
			}
			return bold("No") + ", " + an + " does not have " + first + " " + m.Name + " than " + bn + vals
		},
	}
}

// yesNoCount answers "were there more rain days than sun days": the rows
// of two values of one column counted.
func yesNoCount(key *column, an, bn, word string, more bool, noun string) *plan {
	one := func(v string) string {
		return "SELECT " + duck.QuoteString(v) + " AS " + key.ident() + ", (SELECT count(*) FROM " + table + " WHERE " +
			key.textExpr() + " = " + duck.QuoteString(v) + ") AS " + duck.QuoteIdent(noun)
	}
	return &plan{
		desc: "whether " + an + " has " + word + " " + noun + " than " + bn,
		sql:  one(an) + " UNION ALL " + one(bn),
		say: func(res *duck.Result) string {
			if res == nil || len(res.Rows) != 2 {
				return "No answer."
			}
			av, _ := duck.ToFloat(res.Rows[0][1])
			bv, _ := duck.ToFloat(res.Rows[1][1])
			c := &column{}
			vals := " (" + an + ": " + cellText(c, res.Rows[0][1]) + ", " + bn + ": " + cellText(c, res.Rows[1][1]) + ")."
			switch {
			case av == bv:
				return bold("No") + ": " + an + " and " + bn + " have as many " + noun + vals
			case (av > bv) == more:
				return bold("Yes") + ", " + an + " has " + word + " " + noun + " than " + bn + vals
			}
			return bold("No") + ", " + an + " does not have " + word + " " + noun + " than " + bn + vals
		},
	}
}
