package builtin

import (
	"strings"
)

// Suggestion is a question the analyst can answer, offered when it
// declines one, for the UI to show as a button that sends it.
type Suggestion struct {
	Label string `json:"label"`
	Text  string `json:"text"` // the message to send
	// Kind is "message" (send Text as a question) or "auto_analyze".
	Kind string `json:"kind"`
}

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
	sug := suggest(l)
	if len(sug) > 0 {
		b.WriteString("\n\nYou could ask:\n")
		for _, s := range sug {
			if s.Kind == "message" {
				b.WriteString("- " + s.Text + "\n")
			}
		}
		b.WriteString("- or run Auto-analyze for a first look at the whole table\n")
	}
	return &parseError{msg: b.String(), suggestions: sug}
}

func quoteList(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = "“" + w + "”"
	}
	return strings.Join(q, ", ")
}

// suggest builds 2–4 questions the shapes answer from the columns and
// values the question named, then the auto-analysis.
func suggest(l *linked) []Suggestion {
	var out []Suggestion
	add := func(t string) {
		for _, s := range out {
			if s.Text == t {
				return
			}
		}
		if len(out) < 4 {
			out = append(out, Suggestion{Label: t, Text: t, Kind: "message"})
		}
	}
	cols := l.cols()
	var num, cat *column
	for _, c := range append(cols, l.s.cols...) {
		if num == nil && c.isNumeric() && !c.isCategory() && !isIDLike(c, l.s.rows) {
			num = c
		}
		if cat == nil && c.kind == kindText && !c.numText {
			cat = c
		}
	}
	for _, v := range l.vals {
		if v.col == nil {
			continue
		}
		add("how many rows where " + strings.ToLower(v.col.Name) + " is " + v.values[0])
		if num != nil {
			add("what is the " + strings.ToLower(num.Name) + " of " + v.values[0])
		}
	}
	if cat != nil && num != nil {
		add("which " + strings.ToLower(cat.Name) + " has the highest " + strings.ToLower(num.Name))
	}
	if cat != nil {
		add("which " + strings.ToLower(cat.Name) + " has the most rows")
	}
	out = append(out, Suggestion{Label: "Auto-analyze", Kind: "auto_analyze"})
	return out
}
