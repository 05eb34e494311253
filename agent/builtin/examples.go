package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
)

// notUnderstood says plainly that the question is outside what the
// analyst reads, and offers, as buttons, 2–4 questions it does read (built
// from what it understood, then from the dataset's columns) and
// Auto-analyze.
func (a *Analyst) notUnderstood(o *out, l *linked, perr *parseError) error {
	s := l.s
	var b strings.Builder
	b.WriteString("I'm the built-in analyst: I work without an AI model, so I only understand questions of a few simple shapes, and I couldn't read this one. ")
	b.WriteString(perr.msg)
	sug := suggest(l)
	for _, e := range examples(s, 5) {
		if len(sug) >= 4 {
			break
		}
		dup := false
		for _, x := range sug {
			dup = dup || strings.EqualFold(x.Text, e)
		}
		if !dup {
			sug = append(sug, agent.Suggestion{Label: e, Text: e, Kind: agent.KindMessage})
		}
	}
	if len(s.cols) > 0 {
		names := make([]string, 0, len(s.cols))
		for i, c := range s.cols {
			if i == 30 {
				names = append(names, "…")
				break
			}
			names = append(names, code(c.Name))
		}
		b.WriteString("\n\nColumns: " + strings.Join(names, ", ") + ".")
	}
	b.WriteString("\n\nYou can also type a SQL query over the table `data`; it runs as written.")
	if len(sug) > 0 {
		b.WriteString(" Or ask one of these:")
	}
	o.say(b.String())
	sug = append(sug, agent.Suggestion{Label: "Auto-analyze", Kind: agent.KindAutoAnalyze})
	return o.reply.Suggest(sug)
}

// examples builds up to n questions from the dataset's real columns, each
// one the grammar reads (the tests check that).
func examples(s *schema, n int) []string {
	var measures, cats, dates []*column
	for _, c := range s.cols {
		switch {
		case c.isTemporal():
			dates = append(dates, c)
		case c.isNumeric() && !c.isCategory() && !c.isIdentifier():
			measures = append(measures, c)
		case c.kind == duck.KindText && !c.numText && (c.distinct < 0 || c.distinct <= 100) && !c.isIdentifier(),
			c.kind == duck.KindBoolean:
			cats = append(cats, c)
		}
	}
	var out []string
	add := func(q string) {
		if len(out) < n {
			if _, err := parse(q, s); err == nil {
				out = append(out, q)
			}
		}
	}
	name := func(c *column) string { return mention(c, s) }
	if len(measures) > 0 && len(cats) > 0 {
		add("What is the " + aggName(defaultAgg(measures[0])) + " " + name(measures[0]) + " by " + name(cats[0]) + "?")
	}
	if len(cats) > 0 {
		add("What is the most common " + name(cats[0]) + "?")
	}
	if len(dates) > 0 {
		if len(measures) > 0 {
			add(capTitle(aggName(defaultAgg(measures[0]))) + " " + name(measures[0]) + " per month")
		} else {
			add("How many rows per month?")
		}
	}
	if len(measures) > 0 && len(cats) > 0 {
		m := measures[0]
		for _, c := range measures {
			if defaultAgg(c) == aggSum {
				m = c
				break
			}
		}
		add("Top 5 " + name(cats[min(1, len(cats)-1)]) + " by " + aggName(defaultAgg(m)) + " " + name(m))
	}
	if len(measures) > 0 {
		add("Distribution of " + name(measures[0]))
	}
	if len(measures) > 1 {
		add("Correlation between " + name(measures[0]) + " and " + name(measures[1]))
	}
	if len(measures) > 0 {
		add("Describe " + name(measures[0]))
	}
	add("How many rows are there?")
	add("Which columns have missing values?")
	return out
}

// mention writes a column the way a user would in a question: its name,
// quoted when its words alone would not find it.
func mention(c *column, s *schema) string {
	plain := strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if isWordRune(r) {
			return r
		}
		return ' '
	}, c.Name)), " ")
	if plain != "" {
		toks := matchColumns(tokenize(plain), s.cols)
		if len(toks) == 1 && toks[0].col == c && !isReserved(strings.ToLower(plain)) {
			return plain
		}
	}
	return `"` + strings.ReplaceAll(c.Name, `"`, "") + `"`
}
