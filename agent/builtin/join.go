package builtin

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
)

// joinRequest reads "join A and B", "join A with B", "A joined with B".
var joinRequest = regexp.MustCompile(`(?i)^\s*(?:please\s+)?(?:show\s+(?:me\s+)?)?(?:join|combine|merge)\s+(?:the\s+)?(?:tables?\s+)?` + nameRE + `\s+(?:and|with|to|on)\s+(?:the\s+)?` + nameRE + `(?:\s+tables?)?\s*[.!?]?\s*$`)

// join answers a request to join two of the session's tables: on the key
// whose shared values were measured (agent.JoinKey), shown with the query
// that measures the overlap and the first joined rows.
func (a *Analyst) join(ctx context.Context, req agent.Request, o *out) (bool, error) {
	m := joinRequest.FindStringSubmatch(strings.TrimSpace(req.Text))
	if m == nil || len(req.Dataset.Tables) < 2 {
		return false, nil
	}
	ts := sessionTables(req.Dataset)
	find := func(name string) *tableCols {
		for _, t := range ts {
			if strings.EqualFold(t.name, name) || strings.EqualFold(name, duck.PrimaryView) && t == ts[0] {
				return t
			}
		}
		return nil
	}
	l, r := find(strings.TrimSpace(firstNonEmpty(m[1:5]...))), find(strings.TrimSpace(firstNonEmpty(m[5:9]...)))
	if l == nil || r == nil || l == r {
		return false, nil
	}
	var key *agent.JoinKey
	for i, k := range req.Dataset.JoinKeys {
		switch {
		case strings.EqualFold(k.Left, l.name) && strings.EqualFold(k.Right, r.name):
		case strings.EqualFold(k.Left, r.name) && strings.EqualFold(k.Right, l.name):
			k.Left, k.LeftColumn, k.Right, k.RightColumn = k.Right, k.RightColumn, k.Left, k.LeftColumn
		default:
			continue
		}
		if key == nil || k.Matched > key.Matched {
			kk := req.Dataset.JoinKeys[i]
			kk.Left, kk.LeftColumn, kk.Right, kk.RightColumn = k.Left, k.LeftColumn, k.Right, k.RightColumn
			key = &kk
		}
	}
	if key == nil {
		o.say(fmt.Sprintf("I found no columns of %s and %s that share values, so I did not join them. Name the key in SQL, e.g. `SELECT * FROM %s JOIN %s ON …`.",
			l.name, r.name, duck.QuoteIdent(l.name), duck.QuoteIdent(r.name)))
		return true, nil
	}
	lt, lc, rt, rc := duck.QuoteIdent(key.Left), duck.QuoteIdent(key.LeftColumn), duck.QuoteIdent(key.Right), duck.QuoteIdent(key.RightColumn)
	o.say(fmt.Sprintf("I joined %s and %s on %s.%s = %s.%s: the columns whose values they share. How many of them match:",
		key.Left, key.Right, key.Left, key.LeftColumn, key.Right, key.RightColumn))
	overlap := "SELECT count(*) AS " + duck.QuoteIdent(key.LeftColumn+" values") +
		", count(*) FILTER (WHERE k IN (SELECT " + rc + " FROM " + rt + ")) AS " + duck.QuoteIdent("found in "+key.Right) +
		" FROM (SELECT DISTINCT " + lc + " AS k FROM " + lt + " WHERE " + lc + " IS NOT NULL)"
	if err := o.result(agent.RunQuery(ctx, a.engine, req.Dataset.SessionID, overlap)); err != nil {
		return true, err
	}
	var on string
	if strings.EqualFold(key.LeftColumn, key.RightColumn) {
		on = " USING (" + lc + ")"
	} else {
		on = " ON l." + lc + " = r." + rc
	}
	o.say("The first joined rows (rows of " + key.Left + " without a match are left out):")
	return true, o.result(agent.RunQuery(ctx, a.engine, req.Dataset.SessionID,
		"SELECT * FROM "+lt+" AS l JOIN "+rt+" AS r"+on+" LIMIT 100"))
}
