package builtin

import (
	"regexp"
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// A table of games writes each one's outcome at the start of its result:
// "W 15–3", "L 7–16", "Won 2–1", "D". "How many games did they win", "how
// many losses", "how many ties" ask for the rows of one outcome. Read so
// only when one column, named for results or scores, has its values starting with an
// outcome (nine in ten at least, two outcomes at least), and all of its
// values are indexed; not when a value stands
// of a team or an opponent ("did the sea devils win", "won by the bears":
// the opponent's wins are the table's losses), not of a list of goals, and
// not when a column of winners takes the verb.

var outcomeRe = regexp.MustCompile(`(?i)^\s*(w|won|win|l|lost|loss|d|t|draw|drew|drawn|tie|tied)\b`)

// outcomeWords maps a word to the outcome it asks for.
var outcomeWords = map[string]string{
	"won": "win", "win": "win", "wins": "win", "victory": "win", "victories": "win",
	"lost": "loss", "lose": "loss", "loses": "loss", "loss": "loss", "losses": "loss", "defeat": "loss", "defeats": "loss",
	"draw": "draw", "draws": "draw", "drew": "draw", "drawn": "draw", "tie": "draw", "ties": "draw", "tied": "draw",
}

// outcomeOf reads the outcome a result starts with, "" for none.
func outcomeOf(v string) string {
	m := outcomeRe.FindStringSubmatch(v)
	if m == nil {
		return ""
	}
	switch strings.ToLower(m[1]) {
	case "w", "won", "win":
		return "win"
	case "l", "lost", "loss":
		return "loss"
	}
	return "draw"
}

// linkOutcomes links the words of an outcome to the results holding it.
func (l *linked) linkOutcomes(idx *duck.ValueIndex) {
	if idx == nil || l.s.goalRows() {
		return // a list of goals: two goals of one win are one win
	}
	for _, v := range l.vals {
		if v.col != nil && namesAny(v.col.words, []string{"opponent", "opposition", "opposing", "team", "club"}) {
			// "how many games were won by the bears", "did the bears
			// win": whose win it is, the wording says in too many ways.
			return
		}
	}
	var col *column
	var values map[string][]string
	for i := range l.words {
		w := l.words[i]
		out := outcomeWords[w.w]
		if out == "" || w.col != nil || w.val != nil || i > 0 && l.words[i-1].val != nil {
			continue
		}
		if values == nil {
			col, values = l.outcomeColumn(idx)
			if col == nil {
				return
			}
		}
		if len(values[out]) == 0 {
			continue
		}
		v := &valueLink{col: col, values: values[out], from: i, to: i + 1, outcome: out,
			byCol: map[*column][]string{col: values[out]}, cands: []*column{col}}
		l.vals = append(l.vals, v)
		l.words[i].val = v
	}
	l.sortVals()
}

// outcomeColumn is the one column named for results or scores whose
// indexed values start with an outcome (see linkOutcomes), with its values
// by outcome; nil for none, or when a column of winners takes the verbs.
func (l *linked) outcomeColumn(idx *duck.ValueIndex) (*column, map[string][]string) {
	for _, c := range l.s.cols {
		if isWinnerColumn(c) {
			return nil, nil
		}
	}
	var found *column
	var values map[string][]string
	for _, c := range l.s.cols {
		ic := l.complete(c)
		if ic == nil || len(ic.Values) == 0 || !namesAny(c.words, []string{"result", "outcome", "decision", "score"}) {
			continue
		}
		// A few results of no outcome ("Postponed") are no row of any.
		vals, other := map[string][]string{}, 0
		for _, vc := range ic.Values {
			s, _ := vc.Value.(string)
			if o := outcomeOf(s); o != "" {
				vals[o] = append(vals[o], s)
			} else {
				other++
			}
		}
		if other*10 <= len(ic.Values) && len(vals) >= 2 {
			if found != nil {
				return nil, nil
			}
			found, values = c, vals
		}
	}
	return found, values
}
