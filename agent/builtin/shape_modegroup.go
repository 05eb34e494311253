package builtin

import (
	"strings"
	"time"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// "most common weather per year", "the most frequent destination for each
// origin", "what is the most common result by venue": the value of one
// column found in the most rows of each group of another (or of each year
// or month of the table's date column). A tie within a group says so.

var modeWords = set("common", "frequent", "popular", "usual")

func matchModeGroup(l *linked) *plan {
	n := len(l.words)
	ci := -1
	for i, w := range l.words {
		if modeWords[w.w] && i > 0 && l.words[i-1].w == "most" && w.col == nil && w.val == nil {
			ci = i
			break
		}
	}
	if ci < 0 || ci+1 >= n {
		return nil
	}
	l.use(ci-1, ci)
	j := ci + 1
	x := l.words[j].col
	if x == nil || l.words[j].val != nil || x.isNumeric() && !x.isCategory() {
		return nil
	}
	for ; j < n && l.words[j].col == x; j++ {
		l.use(j)
	}
	// The group: "per Y", "by Y", "for each Y", "in each Y", "each Y".
	if j < n && (l.words[j].w == "per" || l.words[j].w == "by" || l.words[j].w == "for" || l.words[j].w == "in") {
		l.use(j)
		j++
	}
	if j < n && l.words[j].w == "each" || j < n && l.words[j].w == "every" {
		l.use(j)
		j++
	}
	if j >= n || l.words[j-1].col == x {
		return nil // no group word
	}
	var gexpr, gname string
	gcol := &column{numRole: numfmt.Label} // a year or month of the date column: no thousands separator
	switch y := l.words[j].col; {
	case y != nil && l.words[j].val == nil && y != x && (!y.isNumeric() || y.isCategory()) && !y.isTemporal():
		gexpr, gname, gcol = y.ident(), y.Name, y
		for ; j < n && l.words[j].col == y; j++ {
			l.use(j)
		}
	case (l.words[j].s == "year" || l.words[j].s == "month") && l.words[j].col == nil:
		d := l.s.dateColumn()
		if d == nil || d.kind == duck.KindNumeric {
			return nil
		}
		gname = l.words[j].s
		gexpr = gname + "(" + d.expr() + ")"
		l.use(j)
		j++
	default:
		return nil
	}
	if j != n {
		return nil // conditions after the group are not read here
	}
	for i, w := range l.words {
		if (w.w == "what" || w.w == "which" || w.w == "is" || w.w == "are" || w.w == "was" || w.w == "the" ||
			w.w == "show" || w.w == "value") && w.col == nil && w.val == nil {
			l.use(i)
		}
	}
	if len(l.vals) > 0 {
		return nil
	}
	noun := "rows"
	if w := l.useRowNouns(); w != "" {
		noun = w
	} else if w := l.s.rowsWord(); w != "rows" {
		noun = w
	}
	tot, _ := whereOf(l.totals)
	sql := "WITH c AS (SELECT " + gexpr + " AS " + duck.QuoteIdent(gname) + ", " + x.ident() + ", count(*) AS rows FROM " + table +
		tot + andWhere(tot) + x.ident() + " IS NOT NULL GROUP BY 1, 2), " +
		"r AS (SELECT *, rank() OVER (PARTITION BY " + duck.QuoteIdent(gname) + " ORDER BY rows DESC) AS k FROM c) " +
		"SELECT " + duck.QuoteIdent(gname) + ", string_agg(CAST(" + x.ident() + " AS VARCHAR), ' / ' ORDER BY " + x.ident() +
		") AS " + duck.QuoteIdent("most common "+x.Name) + ", max(rows) AS rows FROM r WHERE k = 1 GROUP BY 1 ORDER BY 1"
	return &plan{
		desc: "the most common " + x.Name + " per " + gname,
		sql:  sql,
		say: func(res *duck.Result) string {
			if res == nil || len(res.Rows) == 0 {
				return "No rows match."
			}
			key := func(v any) string {
				if f, ok := duck.ToFloat(v); ok && gname == "month" && f >= 1 && f <= 12 {
					return time.Month(int(f)).String()
				}
				return cellText(gcol, v)
			}
			var parts []string
			same := true
			for i, r := range res.Rows {
				same = same && cellText(x, r[1]) == cellText(x, res.Rows[0][1])
				if i < 3 {
					parts = append(parts, key(r[0])+": "+cellText(x, r[1])+" ("+cellText(&column{}, r[2])+" "+noun+")")
				}
			}
			list := strings.Join(parts, "; ")
			if n := len(res.Rows) - len(parts); n > 0 {
				list += "; " + itoa(n) + " more in the table"
			}
			first, last := res.Rows[0], res.Rows[len(res.Rows)-1]
			if same && len(res.Rows) > 1 {
				return bold(cellText(x, first[1])) + " is the most common " + x.Name + " in every " + gname + " (" +
					key(first[0]) + "–" + key(last[0]) + "): " + list + "."
			}
			s := bold(cellText(x, first[1])) + " is the most common " + x.Name + " in " + key(first[0])
			if len(res.Rows) > 1 {
				s += "; by " + gname + ": " + list
			}
			return s + ". Ties show as A / B."
		},
	}
}
