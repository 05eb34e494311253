package builtin

import (
	"strings"
)

// notUnderstood says plainly that the question is outside the grammar and
// offers questions about this dataset that are inside it.
func (a *Analyst) notUnderstood(o *out, s *schema, perr *parseError) {
	var b strings.Builder
	b.WriteString("I'm the built-in analyst: I work without an AI model, so I only understand questions of a few simple shapes, and I couldn't read this one. ")
	b.WriteString(perr.msg)
	if ex := examples(s, 5); len(ex) > 0 {
		b.WriteString("\n\nHere are questions I can answer about this data:\n")
		for _, e := range ex {
			b.WriteString("- " + e + "\n")
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
		b.WriteString("\nColumns: " + strings.Join(names, ", ") + ".")
	}
	b.WriteString("\n\nYou can also type a SQL query over the table `data`; it runs as written.")
	o.say(b.String())
}

// examples builds up to n questions from the dataset's real columns, each
// one the grammar reads (the tests check that).
func examples(s *schema, n int) []string {
	var measures, cats, dates []*column
	for _, c := range s.cols {
		switch {
		case c.isTemporal():
			dates = append(dates, c)
		case c.isNumeric() && !c.isCategory() && !isIDLike(c, s.rows):
			measures = append(measures, c)
		case c.kind == kindText && !c.numText && (c.distinct < 0 || c.distinct <= 100) && !isIDLike(c, s.rows),
			c.kind == kindBool:
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
