package llm

import (
	"fmt"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// tablesPrompt describes the session's other tables (the first one is
// described above as data), the column pairs that share values as
// measured on the data, and how changes are made. Empty when the session
// has one table that was never changed.
func tablesPrompt(ds agent.Dataset, sendRows bool) string {
	if len(ds.Tables) == 0 {
		return ""
	}
	var b strings.Builder
	first := ds.Tables[0]
	if len(ds.Tables) > 1 {
		fmt.Fprintf(&b, "\n\n# Other tables\nThe table above is also named %s. Join tables in SQL; say which key you joined on.\n", duck.QuoteIdent(first.Name))
		for _, t := range ds.Tables[1:] {
			fmt.Fprintf(&b, "\nTable %s", duck.QuoteIdent(t.Name))
			if t.Filename != "" {
				fmt.Fprintf(&b, " (file %s)", t.Filename)
			}
			fmt.Fprintf(&b, ": %s rows, %s columns.\n", numfmt.Count(t.RowCount), numfmt.Count(int64(len(t.Columns))))
			profiles := map[string]*duck.ColumnProfile{}
			if t.Profile != nil {
				for i := range t.Profile.Columns {
					profiles[t.Profile.Columns[i].Name] = &t.Profile.Columns[i]
				}
			}
			for i, c := range t.Columns {
				if i == promptColumns {
					fmt.Fprintf(&b, "- and %d more columns\n", len(t.Columns)-i)
					break
				}
				fmt.Fprintf(&b, "- %s %s", duck.QuoteIdent(c.Name), c.Type)
				if p := profiles[c.Name]; p != nil {
					b.WriteString(", " + string(p.Class))
					if stats := columnStats(p, t.RowCount, sendRows); stats != "" {
						b.WriteString(": " + stats)
					}
				}
				b.WriteByte('\n')
			}
		}
	}
	if len(ds.JoinKeys) > 0 {
		b.WriteString("\nColumns that share values (measured on the current data):\n")
		for _, k := range ds.JoinKeys {
			fmt.Fprintf(&b, "- %s.%s = %s.%s: %s of the %s distinct values of %s.%s occur in %s.%s\n",
				duck.QuoteIdent(k.Left), duck.QuoteIdent(k.LeftColumn), duck.QuoteIdent(k.Right), duck.QuoteIdent(k.RightColumn),
				numfmt.Count(k.Matched), numfmt.Count(k.LeftDistinct), k.Left, k.LeftColumn, k.Right, k.RightColumn)
		}
	}
	changed := false
	for _, t := range ds.Tables {
		changed = changed || t.Version > 1
	}
	if changed {
		b.WriteString("\nSome tables were changed in this conversation: queries read each table's current version.\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// changeRules tells the model how to change the data when asked.
const changeRules = `

Changing the data: when (and only when) the user asks to clean or change the data (remove rows, add, rename or drop a column, cast a type, split, fill blanks, deduplicate, join in a column from another table), call transform_data with the table and one SELECT that yields all of its new rows (for instance SELECT * EXCLUDE (col) FROM t, SELECT * RENAME (a AS b) FROM t, SELECT * REPLACE (TRY_CAST(d AS DATE) AS d) FROM t). The original upload is kept and the user can undo. Then say what changed with the counts the tool returned.`

// otherTableLinks is ValueLinks for the session's other tables: the
// values a question names in them, with the table's name.
func otherTableLinks(question string, ds agent.Dataset, sendRows bool) string {
	if !sendRows || len(ds.Tables) < 2 {
		return ""
	}
	var b strings.Builder
	n := 0
	for _, t := range ds.Tables[1:] {
		if t.Values == nil {
			continue
		}
		for _, m := range t.Values.Lookup(question) {
			if n == maxValueLinks {
				break
			}
			if n == 0 {
				b.WriteString("Values in the question found in the other tables:\n")
			}
			n++
			fmt.Fprintf(&b, "- %q: %s.%s = %s (%s rows)\n", question[m.Span[0]:m.Span[1]], duck.QuoteIdent(t.Name),
				duck.QuoteIdent(m.Column), duck.QuoteString(m.Value), numfmt.Count(m.Count))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
