package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// "rain vs sun", "which is deeper, lake a or lake b", "who had more goals,
// ross jenkins or nigel gibbs": two or more values of one column, compared
// by a numeric column when one is named, else by their rows.

var compareWords = set("vs", "versus", "or", "than", "more", "most", "higher", "larger", "bigger", "greater",
	"less", "fewer", "lower", "smaller", "compared", "compare", "between", "had", "how", "many", "times",
	"common", "frequent", "often", "older", "younger", "taller", "shorter", "longer", "deeper", "shallower",
	"heavier", "lighter", "wider", "narrower")

// rowCountWords compare how many rows each value has ("more", "fewer"); an
// adjective of size ("larger", "taller") compares a quantity, which a
// count of rows is not.
var rowCountWords = set("vs", "versus", "more", "most", "less", "fewer", "compared", "compare", "times", "common",
	"frequent", "often", "many")

func matchCompare(l *linked) *plan {
	if len(l.vals) < 2 {
		return nil
	}
	col := l.vals[0].col
	var lits, names []string
	for _, v := range l.vals {
		if v.col == nil || v.col != col || len(v.values) != 1 {
			return nil
		}
		lits = append(lits, duck.QuoteString(v.values[0]))
		names = append(names, v.values[0])
		for i := v.from; i < v.to; i++ {
			l.use(i)
		}
	}
	hasCmp := false
	for i, w := range l.words {
		if w.w == "or" || w.w == "vs" || w.w == "versus" {
			hasCmp = true
		}
		if compareWords[w.w] && w.col == nil && w.val == nil {
			l.use(i)
		}
	}
	if !hasCmp && len(l.vals) == 2 && l.between() && (l.hasWordOf(moreWords) || l.hasWordOf(lessWords)) {
		hasCmp = true // "who has more households between fallon and phillips"
	}
	if !hasCmp {
		return nil
	}
	if countHead(l) >= 0 && !l.hasWord("vs", "versus", "compared", "compare", "more", "fewer", "less") {
		return nil // "how many days had rain or snow": one count of either
	}
	var measure, counted *column
	noun := "rows"
	for i, w := range l.words {
		if w.col != nil && w.col != col {
			if !w.col.isNumeric() && w.w != w.s && (i+1 == len(l.words) || l.words[i+1].col != w.col) &&
				(i == 0 || l.words[i-1].col != w.col) {
				// "are more teams from A or B": a plural column name
				// standing alone names the rows counted.
				noun = w.w
				l.use(i)
				// The column's different values are counted ("more
				// carriers": carriers, not flights), unless the word is
				// the table's own noun for its rows or the column holds
				// each value once, where the two counts agree.
				if !l.s.rowNoun(w.s) && w.col.distinct < w.col.nonNull {
					counted = w.col
				}
				continue
			}
			if measure != nil && measure != w.col || !w.col.isNumeric() {
				return nil
			}
			measure = w.col
			l.use(i)
		}
	}
	if measure == nil && noun == "rows" && (l.hasWord("older") || l.hasWord("younger")) {
		measure = l.s.columnNamed([]string{"age"}) // "who is older, A or B"
		if measure == nil {
			return nil
		}
	}
	in := col.textExpr() + " IN (" + strings.Join(lits, ", ") + ")"
	if measure != nil && noun != "rows" {
		return nil
	}
	if measure == nil {
		if noun == "rows" && !l.hasWordOf(rowCountWords) {
			return nil // "which is larger, A or B" with no quantity named
		}
		l.useWinVerbs() // "who won more races, A or B" of a winner column
		if w := l.useRowNouns(); w != "" {
			noun = w
		}
		cnt, desc := "count(*)", "the number of "+noun+" of "+andList(names)
		if counted != nil {
			cnt = "count(DISTINCT " + counted.textExpr() + ")"
			desc = "the number of different " + counted.Name + " values of " + andList(names)
		}
		return &plan{
			desc: desc,
			sql:  "SELECT " + col.ident() + ", " + cnt + " AS " + duck.QuoteIdent(noun) + " FROM " + table + " WHERE " + in + " GROUP BY 1 ORDER BY 2 DESC, 1",
			say: func(res *duck.Result) string {
				r := firstRow(res)
				if r == nil {
					return "No rows match."
				}
				if len(res.Rows) < len(names) {
					return bold(cellText(col, r[0])) + " has " + cellText(&column{}, r[1]) + " " + noun + "; the others have none."
				}
				var rest []string
				for _, x := range res.Rows[1:] {
					rest = append(rest, cellText(col, x[0])+" "+cellText(&column{}, x[1]))
				}
				if res.Rows[1][1] == r[1] {
					return bold(cellText(col, r[0])) + " and " + cellText(col, res.Rows[1][0]) + " have as many " + noun + ": " +
						cellText(&column{}, r[1]) + " each."
				}
				if len(res.Rows) == 2 {
					return bold(cellText(col, r[0])) + " has more " + noun + " than " + cellText(col, res.Rows[1][0]) + ": " +
						cellText(&column{}, r[1]) + " against " + cellText(&column{}, res.Rows[1][1]) + "."
				}
				return bold(cellText(col, r[0])) + " has the most " + noun + ": " + cellText(&column{}, r[1]) + "; then " +
					strings.Join(rest, ", ") + "."
			},
		}
	}
	for i, w := range l.words {
		if lightVerbs[w.w] && !winVerbs[w.w] && w.col == nil && w.val == nil {
			l.use(i) // "which party got more votes, A or B"; "won more games" is no count of games
		}
	}
	if len(l.words) > 1 && (l.words[0].w == "which" || l.words[0].w == "what") && (l.rowNounAt(1) || l.nameNoun(l.words[1].s)) &&
		l.words[1].col == nil && l.words[1].val == nil {
		l.use(1) // "which lake is smaller, A or B": the rows compared
	}
	m := measure.expr()
	ord, word := "DESC", "higher"
	for _, w := range l.words {
		if (lessWords[w.w] || w.w == "younger") && w.col == nil && w.val == nil {
			ord, word = "ASC", "lower" // "which has fewer goals, A or B"
		}
		if moreWords[w.w] && w.col == nil && w.val == nil && ord == "ASC" {
			return nil // "more or less": a yes/no of its own
		}
	}
	return &plan{
		desc: measure.Name + " of " + strings.Join(names, " and "),
		sql: "SELECT " + col.ident() + ", " + m + " AS " + duck.QuoteIdent(measure.Name) + " FROM " + table + " WHERE " + in +
			" AND " + m + " IS NOT NULL ORDER BY 2 " + ord,
		say: func(res *duck.Result) string {
			if res == nil || len(res.Rows) != len(names) {
				return "These are not one row each, so I list them rather than pick one."
			}
			r := res.Rows[0]
			return bold(cellText(col, r[0])) + " has the " + word + " " + measure.Name + ": " + cellText(measure, r[1]) + "."
		},
	}
}

// between reports "between A and B" of the two values named: the words
// between them only "and".
func (l *linked) between() bool {
	a, b := l.vals[0], l.vals[1]
	return a.from >= 1 && l.words[a.from-1].w == "between" && b.from == a.to+1 && l.words[a.to].w == "and"
}

// hasWordOf reports whether the question has a word of ws of its own.
func (l *linked) hasWordOf(ws map[string]bool) bool {
	for _, w := range l.words {
		if w.col == nil && w.val == nil && ws[w.w] {
			return true
		}
	}
	return false
}

// hasWord reports whether the question has one of ws as a word of its own
// (not part of a column's name or a value).
func (l *linked) hasWord(ws ...string) bool {
	for _, w := range l.words {
		if w.col != nil || w.val != nil {
			continue
		}
		for _, x := range ws {
			if w.w == x {
				return true
			}
		}
	}
	return false
}
