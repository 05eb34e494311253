package agent

import (
	"context"
	"regexp"
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// createTable matches `CREATE [OR REPLACE] TABLE name AS <query>`: the
// one statement SQL mode reads as a change to the data. The server parses
// it and runs only the query, in the sandbox, as a new version of the
// table (Changer); DuckDB never sees the CREATE.
var createTable = regexp.MustCompile(`(?is)^\s*create\s+(or\s+replace\s+)?table\s+(if\s+not\s+exists\s+)?(?:main\.)?("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)\s+as\s+(.+?)[\s;]*$`)

// CreateTable is a parsed CREATE TABLE … AS statement.
type CreateTable struct {
	Table   string
	Query   string
	Replace bool // OR REPLACE: an existing table gets a new version
}

// ParseCreateTable reads text as `CREATE [OR REPLACE] TABLE name AS
// query`; ok is false for anything else.
func ParseCreateTable(text string) (CreateTable, bool) {
	text = stripLeadingComments(text)
	m := createTable.FindStringSubmatch(text)
	if m == nil || m[2] != "" && m[1] != "" {
		return CreateTable{}, false
	}
	name := m[3]
	if strings.HasPrefix(name, `"`) {
		name = strings.ReplaceAll(name[1:len(name)-1], `""`, `"`)
	}
	q := strings.TrimSpace(m[4])
	if q == "" {
		return CreateTable{}, false
	}
	return CreateTable{Table: name, Query: q, Replace: m[1] != ""}, true
}

func stripLeadingComments(s string) string {
	for {
		s = strings.TrimSpace(s)
		switch {
		case strings.HasPrefix(s, "--"):
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				return ""
			}
			s = s[i+1:]
		case strings.HasPrefix(s, "/*"):
			i := strings.Index(s, "*/")
			if i < 0 {
				return s
			}
			s = s[i+2:]
		default:
			return s
		}
	}
}

// runChange applies a CREATE TABLE … AS typed in chat: the query becomes
// the table's new version, and its first rows are shown.
func (a *Agent) runChange(ctx context.Context, req Request, reply *Reply, ct CreateTable) error {
	reply.Status("Applying the change…")
	ch, err := a.changer.Change(ctx, req.Dataset.SessionID, Change{
		Table: ct.Table, SQL: ct.Query, Author: AuthorUser, MustCreate: !ct.Replace,
		Description: "SQL: " + shorten(oneLine(ct.Query), 160),
	})
	if err != nil {
		return err
	}
	if err := reply.Changed(ch); err != nil {
		return err
	}
	return reply.Result(RunQuery(ctx, a.engine, req.Dataset.SessionID, "SELECT * FROM "+duck.QuoteIdent(ch.Table)+" LIMIT 100"))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
