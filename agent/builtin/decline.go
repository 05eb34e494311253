package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
)

// declineWords explains a declined question: the words that could not be
// placed, and rephrasings built from what was understood.
func declineWords(l *linked, left []string, why string) *parseError {
	var b strings.Builder
	if why != "" {
		b.WriteString(why + " ")
	}
	if len(left) > 0 {
		b.WriteString("I couldn't place " + quoteList(left) + " in this data (not a column, a value or a word I know), so I won't guess.")
	} else if why == "" {
		b.WriteString("I understood the parts of this question but not how they fit together, so I won't guess.")
	}
	return &parseError{msg: b.String()}
}

// unknownError says which of the words the older grammar could not place
// the linker could not place either: a value or a column it found ("mike
// rhodin" of Host) is never called unknown.
func (l *linked) unknownError(ws []string) *parseError {
	placed := map[string]bool{}
	for _, w := range l.words {
		if w.col != nil || w.val != nil || w.filler || w.numCol != nil || w.held != nil {
			placed[w.w] = true
		}
	}
	var left []string
	for _, w := range ws {
		keep := false
		for _, x := range wordRe.FindAllString(strings.ToLower(w), -1) {
			if !placed[x] {
				keep = true
			}
		}
		if keep {
			left = append(left, w)
		}
	}
	if len(left) == 0 {
		return declineWords(l, nil, "")
	}
	return &parseError{msg: unknownMsg(left), unknown: left}
}

func quoteList(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = "“" + w + "”"
	}
	return strings.Join(q, ", ")
}

// suggest builds up to 4 questions the analyst answers, from the columns
// and values the question named: first a choice between the columns that
// hold a value it named, then rephrasings; the caller adds examples of the
// dataset and Auto-analyze.
func suggest(l *linked) []agent.Suggestion {
	var out []agent.Suggestion
	add := func(t string) {
		if len(out) >= 4 {
			return
		}
		for _, s := range out {
			if strings.EqualFold(s.Text, t) {
				return
			}
		}
		if answerable(t, l.s, l.idx) {
			t = strings.ToUpper(t[:1]) + t[1:] // as the dataset's examples are written
			out = append(out, agent.Suggestion{Label: t, Text: t, Kind: agent.KindMessage})
		}
	}
	// A value two columns hold: the question with each column named.
	for _, v := range l.vals {
		if v.col != nil {
			continue
		}
		start, end := l.words[v.from].start, l.words[v.to-1].end
		for _, c := range v.cands {
			add(strings.TrimSpace(l.q[:start] + strings.ToLower(c.Name) + " " + l.q[start:end] + l.q[end:]))
		}
		for _, c := range v.cands {
			add("how many " + l.s.rowsWord() + " where " + strings.ToLower(c.Name) + " is " + v.byCol[c][0])
		}
	}
	cols := l.cols()
	var num, cat *column
	for _, c := range append(cols, l.s.cols...) {
		if num == nil && c.isNumeric() && !c.isCategory() && !c.isIdentifier() {
			num = c
		}
		if cat == nil && c.kind == duck.KindText && !c.numText && !c.isIdentifier() {
			cat = c
		}
	}
	for _, v := range l.vals {
		if v.col == nil {
			continue
		}
		add("how many " + l.s.rowsWord() + " where " + strings.ToLower(v.col.Name) + " is " + v.values[0])
		switch {
		case num == nil:
		case l.s.rows > 0 && v.col.distinct == l.s.rows:
			add("what is the " + strings.ToLower(num.Name) + " of " + v.values[0]) // one row each
		default:
			add("what is the average " + strings.ToLower(num.Name) + " for " + v.values[0])
		}
	}
	if cat != nil && l.hasWord("most", "busiest", "fewest", "least", "popular", "common") {
		// "which airline has the most flights": the rows counted per value.
		add("which " + strings.ToLower(cat.Name) + " has the most " + l.s.rowsWord())
	}
	if cat != nil && num != nil {
		add("which " + strings.ToLower(cat.Name) + " has the highest average " + strings.ToLower(num.Name))
	}
	if cat != nil {
		add("count of " + l.s.rowsWord() + " by " + strings.ToLower(cat.Name))
	}
	return out
}

// answerable reports whether the analyst reads question q (a shape places
// every word, or the older grammar reads it and its reading is trusted).
func answerable(q string, s *schema, idx *duck.ValueIndex) bool {
	l := link(q, s, idx)
	if p, _ := readShapes(l); p != nil {
		return true
	}
	pq, perr := parse(q, s)
	return perr == nil && trustLegacy(l, pq, q, s) == nil
}

// ambiguity says which values of the question two or more columns hold
// ("“JFK” is an origin and a dest"), "" when none is.
func (l *linked) ambiguity() string {
	var parts []string
	for _, v := range l.vals {
		if v.col != nil || len(v.cands) < 2 {
			continue
		}
		var names []string
		for _, c := range v.cands {
			names = append(names, code(c.Name))
		}
		parts = append(parts, "“"+l.q[l.words[v.from].start:l.words[v.to-1].end]+"” is in "+andList(names))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "; ") + ", so I can't tell which you mean; name the column (one of the questions below does)."
}
