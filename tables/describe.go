package tables

import (
	"context"
	"strings"
	"sync"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
)

// maxJoinProbes bounds the overlap queries run to describe a session.
const maxJoinProbes = 12

// Describe lists the session's tables for the analysts, with the column
// pairs that share values. A session that never had a second table or a
// change has none stored: nil, and the analysts see its one dataset.
func (s *Service) Describe(ctx context.Context, sessionID string) ([]agent.TableInfo, []agent.JoinKey, error) {
	ts, err := s.store.Tables(ctx, sessionID)
	if err != nil || len(ts) == 0 {
		return nil, nil, err
	}
	vs, err := s.store.Versions(ctx, sessionID)
	if err != nil {
		return nil, nil, err
	}
	h := newHistory(ts, vs)
	infos := make([]agent.TableInfo, 0, len(ts))
	sig := make([]string, 0, len(ts))
	for i, t := range ts {
		cur := h.byKey[key(t.ID, t.CurrentSeq)]
		info := agent.TableInfo{Name: t.Name, Filename: t.SourceFilename, Primary: i == 0, Version: t.CurrentSeq, RowCount: cur.RowCount}
		if p, err := s.engine.DatasetProfile(ctx, sessionID, cur.Dir); err == nil {
			info.Profile = p
			for _, c := range p.Columns {
				info.Columns = append(info.Columns, duck.Column{Name: c.Name, Type: c.Type})
			}
		} else {
			s.log.Warn("profile of a table unavailable", "session", sessionID, "table", t.Name, "err", err)
			for _, n := range versionColumns(&cur) {
				info.Columns = append(info.Columns, duck.Column{Name: n})
			}
		}
		if idx, err := s.engine.DatasetValues(ctx, sessionID, cur.Dir); err == nil {
			info.Values = idx
		}
		infos = append(infos, info)
		sig = append(sig, t.Name+"="+cur.ID)
	}
	keys := s.joins.get(sessionID, strings.Join(sig, ","), func() []agent.JoinKey {
		return s.joinKeys(ctx, sessionID, infos)
	})
	return infos, keys, nil
}

// joinKeys measures, for column pairs of two tables that could be keys
// (the same name, or id beside <table>_id), how many distinct values of
// one occur in the other, with SQL in the sandbox.
func (s *Service) joinKeys(ctx context.Context, sessionID string, infos []agent.TableInfo) []agent.JoinKey {
	var out []agent.JoinKey
	probes := 0
	for i := range infos {
		for j := range infos {
			if i == j {
				continue
			}
			for _, lc := range infos[i].Columns {
				for _, rc := range infos[j].Columns {
					if !keyCandidate(infos[i].Name, lc.Name, infos[j].Name, rc.Name) || !sameFamily(lc.Type, rc.Type) {
						continue
					}
					if !keyish(lc.Name) && !unique(infos[i], lc.Name) && !unique(infos[j], rc.Name) {
						continue // a shared name such as "date" or "amount" is no key
					}
					// Each unordered pair once, from the table listed first.
					if i > j && keyCandidate(infos[j].Name, rc.Name, infos[i].Name, lc.Name) {
						continue
					}
					if probes == maxJoinProbes {
						return out
					}
					probes++
					k, ok := s.overlap(ctx, sessionID, infos[i].Name, lc.Name, infos[j].Name, rc.Name)
					if ok && k.Matched > 0 {
						out = append(out, k)
					}
				}
			}
		}
	}
	return out
}

func (s *Service) overlap(ctx context.Context, sessionID, lt, lc, rt, rc string) (agent.JoinKey, bool) {
	q := "SELECT count(*) AS distinct_values, count(*) FILTER (WHERE k IN (SELECT CAST(" + duck.QuoteIdent(rc) + " AS VARCHAR) FROM " + duck.QuoteIdent(rt) + ")) AS matched" +
		" FROM (SELECT DISTINCT CAST(" + duck.QuoteIdent(lc) + " AS VARCHAR) AS k FROM " + duck.QuoteIdent(lt) + " WHERE " + duck.QuoteIdent(lc) + " IS NOT NULL)"
	res, err := s.engine.Query(ctx, sessionID, q)
	if err != nil || len(res.Rows) != 1 || len(res.Rows[0]) != 2 {
		s.log.Debug("join key overlap", "session", sessionID, "err", err)
		return agent.JoinKey{}, false
	}
	d, _ := res.Rows[0][0].(int64)
	m, _ := res.Rows[0][1].(int64)
	return agent.JoinKey{Left: lt, LeftColumn: lc, Right: rt, RightColumn: rc, LeftDistinct: d, Matched: m}, true
}

// keyCandidate: the same name (ignoring case and separators), or a
// table's id beside the other's <table>_id.
func keyCandidate(lt, lc, rt, rc string) bool {
	l, r := normKey(lc), normKey(rc)
	if l == r {
		return true
	}
	single := func(t string) string { return strings.TrimSuffix(normKey(t), "s") }
	return (r == "id" && (l == single(rt)+"id" || l == normKey(rt)+"id")) ||
		(l == "id" && (r == single(lt)+"id" || r == normKey(lt)+"id"))
}

// keyish: a name that says it identifies something.
func keyish(name string) bool {
	n := normKey(name)
	for _, suf := range []string{"id", "key", "code", "no", "number", "num", "sku", "uuid", "email"} {
		if strings.HasSuffix(n, suf) {
			return true
		}
	}
	return false
}

// unique: the column's values are all distinct in its table (exactly).
func unique(t agent.TableInfo, col string) bool {
	if t.Profile == nil {
		return false
	}
	c := t.Profile.Column(col)
	if c == nil {
		return false
	}
	d, approx := c.DistinctCount()
	return !approx && d > 1 && d == t.RowCount
}

func normKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == ' ' || r == '-' || r == '.' {
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// sameFamily: both numbers, both text, or both dates; keys of other types
// are not proposed.
func sameFamily(a, b string) bool {
	fa, fb := family(a), family(b)
	return fa != "" && fa == fb
}

func family(t string) string {
	t = strings.ToUpper(t)
	switch {
	case strings.Contains(t, "INT") || strings.HasPrefix(t, "DECIMAL") || t == "DOUBLE" || t == "FLOAT" || t == "REAL" || t == "HUGEINT":
		return "number"
	case t == "VARCHAR" || t == "TEXT" || t == "UUID":
		return "text"
	case t == "DATE" || strings.HasPrefix(t, "TIMESTAMP"):
		return "date"
	}
	return ""
}

// joinCache keeps each session's measured keys for its current versions.
type joinCache struct {
	mu sync.Mutex
	m  map[string]joinEntry
}

type joinEntry struct {
	sig  string
	keys []agent.JoinKey
}

func (c *joinCache) get(sessionID, sig string, compute func() []agent.JoinKey) []agent.JoinKey {
	c.mu.Lock()
	if e, ok := c.m[sessionID]; ok && e.sig == sig {
		c.mu.Unlock()
		return e.keys
	}
	c.mu.Unlock()
	keys := compute()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]joinEntry{}
	}
	if len(c.m) > 1024 {
		clear(c.m)
	}
	c.m[sessionID] = joinEntry{sig: sig, keys: keys}
	return keys
}
