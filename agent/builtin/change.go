package builtin

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// WithChanger lets the analyst change the data on request (see change):
// each change becomes a new version of a table that the user can undo.
func WithChanger(c agent.Changer) Option {
	return func(a *Analyst) {
		if c != nil {
			a.changer = c
		}
	}
}

// A change rule reads one kind of request to change the data. Each names
// its column (and optionally its table) in the user's words; the column
// is linked to the session's tables before any SQL is written.
type changeRule struct {
	name    string
	pattern *regexp.Regexp
	// build returns the SELECT of the table's new rows and the line that
	// describes it, for the linked column c of table t.
	build func(t *tableCols, c string, m []string) (sql, desc string, err error)
}

// Words for a column or table name: quoted, or a run of words.
const (
	nameRE  = `(?:"([^"]+)"|'([^']+)'|` + "`([^`]+)`" + `|([\p{L}\p{N}_][\p{L}\p{N}_ .\-]*?))`
	tableRE = `(?:\s+(?:in|from|of)\s+(?:the\s+)?(?:table\s+)?` + nameRE + `(?:\s+table)?)?`
)

var changeRules = []changeRule{
	{
		name: "remove rows where X is empty",
		pattern: regexp.MustCompile(`(?i)^\s*(?:please\s+)?(?:remove|delete|drop|filter\s+out|exclude)\s+(?:the\s+|all\s+(?:the\s+)?)?rows\s+(?:where|with|that\s+have|in\s+which)\s+(?:the\s+)?(?:column\s+)?` +
			nameRE + `(?:\s+column)?\s+(?:is\s+|are\s+)?(?:empty|blank|null|missing)` + tableRE + `\s*[.!]?\s*$`),
		build: func(t *tableCols, c string, _ []string) (string, string, error) {
			return "SELECT * FROM " + duck.QuoteIdent(t.name) + " WHERE NULLIF(trim(CAST(" + duck.QuoteIdent(c) + " AS VARCHAR)), '') IS NOT NULL",
				"Removed rows where " + c + " is empty", nil
		},
	},
	{
		name:    "drop column X",
		pattern: regexp.MustCompile(`(?i)^\s*(?:please\s+)?(?:drop|remove|delete)\s+(?:the\s+)?(?:column\s+)?` + nameRE + `(?:\s+column)?` + tableRE + `\s*[.!]?\s*$`),
		build: func(t *tableCols, c string, _ []string) (string, string, error) {
			if len(t.cols) == 1 {
				return "", "", fmt.Errorf("%s is the only column of %s: a table needs at least one", c, t.name)
			}
			return "SELECT * EXCLUDE (" + duck.QuoteIdent(c) + ") FROM " + duck.QuoteIdent(t.name), "Dropped column " + c, nil
		},
	},
	{
		name:    "rename X to Y",
		pattern: regexp.MustCompile(`(?i)^\s*(?:please\s+)?rename\s+(?:the\s+)?(?:column\s+)?` + nameRE + `(?:\s+column)?` + tableRE + `\s+(?:to|as|into)\s+` + nameRE + `\s*[.!]?\s*$`),
		build: func(t *tableCols, c string, m []string) (string, string, error) {
			to := strings.TrimSpace(firstNonEmpty(m[9:13]...))
			if to == "" {
				return "", "", fmt.Errorf("say the new name: rename %s to …", c)
			}
			for _, o := range t.cols {
				if strings.EqualFold(o.Name, to) && !strings.EqualFold(o.Name, c) {
					return "", "", fmt.Errorf("%s already has a column named %s", t.name, o.Name)
				}
			}
			return "SELECT * RENAME (" + duck.QuoteIdent(c) + " AS " + duck.QuoteIdent(to) + ") FROM " + duck.QuoteIdent(t.name),
				"Renamed column " + c + " to " + to, nil
		},
	},
	{
		name:    "convert X to date",
		pattern: regexp.MustCompile(`(?i)^\s*(?:please\s+)?(?:convert|cast|change|turn|make|parse)\s+(?:the\s+)?(?:column\s+)?` + nameRE + `(?:\s+column)?` + tableRE + `\s+(?:to|into|as)\s+(?:a\s+)?dates?\s*[.!]?\s*$`),
		build: func(t *tableCols, c string, _ []string) (string, string, error) {
			expr := "TRY_CAST(" + duck.QuoteIdent(c) + " AS DATE)"
			if p := t.profile(c); p != nil && p.DateFormat != "" {
				// Dates written as text in a format the profile recognised.
				expr = "CAST(try_strptime(CAST(" + duck.QuoteIdent(c) + " AS VARCHAR), " + duck.QuoteString(p.DateFormat) + ") AS DATE)"
			}
			return "SELECT * REPLACE (" + expr + " AS " + duck.QuoteIdent(c) + ") FROM " + duck.QuoteIdent(t.name),
				"Converted column " + c + " to date", nil
		},
	},
}

// tableCols is one table the rules can change.
type tableCols struct {
	name string
	cols []duck.Column
	prof *duck.Profile
}

func (t *tableCols) profile(col string) *duck.ColumnProfile {
	if t.prof == nil {
		return nil
	}
	return t.prof.Column(col)
}

// sessionTables lists the tables of the request: every table when the
// session has several, else its one dataset as `data`.
func sessionTables(ds agent.Dataset) []*tableCols {
	if len(ds.Tables) == 0 {
		return []*tableCols{{name: duck.PrimaryView, cols: ds.Columns, prof: ds.Profile}}
	}
	out := make([]*tableCols, len(ds.Tables))
	for i, t := range ds.Tables {
		out[i] = &tableCols{name: t.Name, cols: t.Columns, prof: t.Profile}
	}
	return out
}

// change answers a request to change the data; handled is false when the
// message is not one (it is then a question).
func (a *Analyst) change(ctx context.Context, req agent.Request, o *out) (handled bool, err error) {
	if handled, err := a.join(ctx, req, o); handled {
		return true, err
	}
	if a.changer == nil {
		return false, nil
	}
	text := strings.TrimSpace(req.Text)
	for _, r := range changeRules {
		m := r.pattern.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		col := strings.TrimSpace(firstNonEmpty(m[1:5]...))
		tbl := strings.TrimSpace(firstNonEmpty(m[5:9]...))
		t, c, msg := linkColumn(sessionTables(req.Dataset), tbl, col)
		if msg != "" {
			if r.name == "drop column X" && !strings.Contains(strings.ToLower(text), "column") {
				return false, nil // "remove duplicates" is no column: a question
			}
			o.say(msg)
			return true, nil
		}
		sql, desc, berr := r.build(t, c, m)
		if berr != nil {
			o.say("I did not change anything: " + berr.Error() + ".")
			return true, nil
		}
		o.status("Changing the data…")
		ch, err := a.changer.Change(ctx, req.Dataset.SessionID, agent.Change{
			Table: t.name, SQL: sql, Description: desc, Author: agent.AuthorBuiltin,
		})
		if err != nil {
			return true, err
		}
		if err := o.reply.Changed(ch); err != nil {
			return true, err
		}
		if r.name == "remove rows where X is empty" && ch.PrevRowCount > ch.RowCount {
			o.say(fmt.Sprintf("%s removed.", changePlural(ch.PrevRowCount-ch.RowCount, "row")))
		}
		return true, o.result(agent.RunQuery(ctx, a.engine, req.Dataset.SessionID, "SELECT * FROM "+duck.QuoteIdent(ch.Table)+" LIMIT 100"))
	}
	return false, nil
}

// linkColumn finds the table and the column a request names: the table
// named, or the one table with such a column (the first table first).
// msg explains what could not be found.
func linkColumn(ts []*tableCols, table, col string) (*tableCols, string, string) {
	cands := ts
	if table != "" {
		cands = nil
		for _, t := range ts {
			if strings.EqualFold(t.name, table) || strings.EqualFold(table, duck.PrimaryView) && t == ts[0] {
				cands = append(cands, t)
			}
		}
		if len(cands) == 0 {
			return nil, "", fmt.Sprintf("I did not change anything: there is no table named %s.", table)
		}
	}
	norm := func(s string) string {
		return strings.ToLower(strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '_' }), " "))
	}
	for _, t := range cands {
		for _, c := range t.cols {
			if strings.EqualFold(c.Name, col) {
				return t, c.Name, ""
			}
		}
	}
	for _, t := range cands {
		for _, c := range t.cols {
			if norm(c.Name) == norm(col) {
				return t, c.Name, ""
			}
		}
	}
	where := "the data"
	if len(cands) == 1 {
		where = cands[0].name
	}
	return nil, "", fmt.Sprintf("I did not change anything: %s has no column named %s.", where, col)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func changePlural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return numfmt.Count(n) + " " + word + "s"
}
