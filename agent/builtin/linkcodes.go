package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// Rosters write a player's position as a code ("F", "G", "GK", "MF"); people
// ask for "forwards", "guards", "goalkeepers". A position word is read as
// the codes a position column holds for it, and only there: the column is
// named for positions, so a "C" of a grade or a class is never taken. A
// cell may hold several codes ("G-F", "F/C"): it is read when any of them
// is the word's. When the column holds a code no list knows, the word is
// left unplaced: that code may be one of its kind, and a count without it
// would be wrong.

var positionCodes = map[string][]string{
	"forward":    {"f", "fw", "fwd", "pf", "sf"},
	"striker":    {"st", "fw", "cf"},
	"guard":      {"g", "pg", "sg"},
	"center":     {"c"},
	"centre":     {"c"},
	"goalkeeper": {"gk", "g"},
	"goalie":     {"gk", "g"},
	"keeper":     {"gk"},
	"defender":   {"df", "d", "def"},
	"defenseman": {"d"},
	"defenceman": {"d"},
	"midfielder": {"mf", "m", "mid"},
	"pitcher":    {"p", "sp", "rp"},
	"catcher":    {"c"},
	"winger":     {"w", "lw", "rw"},
}

// otherPositionCodes are codes of positions no word above asks for
// (infielders, outfielders, hitters, backs): known, so their presence does
// not leave a position word unplaced.
var otherPositionCodes = set("1b", "2b", "3b", "ss", "lf", "rf", "of", "if", "dh", "ut", "inf",
	"cb", "lb", "rb", "wb", "lwb", "rwb", "cm", "dm", "am", "cam", "cdm", "lm", "rm",
	"qb", "hb", "fb", "wr", "te", "ol", "dl", "ot", "og", "de", "dt", "olb", "ilb", "mlb", "k", "ls")

// knownPositionCode reports whether any list knows code (lower case).
func knownPositionCode(code string) bool {
	if otherPositionCodes[code] {
		return true
	}
	for _, codes := range positionCodes {
		for _, c := range codes {
			if c == code {
				return true
			}
		}
	}
	return false
}

// positionParts splits a position cell into its codes, lower case: "G-F",
// "F/C", "G, F".
func positionParts(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == '-' || r == '/' || r == ',' || r == ' '
	})
}

func (l *linked) linkPositionCodes(idx *duck.ValueIndex) {
	if idx == nil {
		return
	}
	for i := range l.words {
		w := &l.words[i]
		codes := positionCodes[w.s]
		if w.col != nil || w.val != nil || codes == nil {
			continue
		}
		var col *column
		var vals []string
		for _, ic := range idx.Columns {
			c := l.s.column(ic.Name)
			if c == nil || !isPositionColumn(c) {
				continue
			}
			var got []string
			unknown := false
			for _, v := range ic.Values {
				s, ok := v.Value.(string)
				if !ok {
					continue
				}
				hit := false
				for _, part := range positionParts(s) {
					unknown = unknown || !knownPositionCode(part)
					for _, code := range codes {
						hit = hit || part == code
					}
				}
				if hit {
					got = append(got, s)
				}
			}
			if len(got) == 0 {
				continue
			}
			if unknown {
				// The word is a position this column may hold under a
				// code no list knows: held by no column, so no question
				// reads it as a condition, nor as the rows' noun.
				col, vals = nil, got
				break
			}
			if col != nil {
				col = nil
				break
			}
			col, vals = c, got
		}
		switch {
		case col != nil:
			v := &valueLink{col: col, values: vals, from: i, to: i + 1, byCol: map[*column][]string{col: vals}, cands: []*column{col}}
			l.vals = append(l.vals, v)
			w.val = v
		case vals != nil:
			v := &valueLink{values: vals, from: i, to: i + 1}
			l.vals = append(l.vals, v)
			w.val = v
		}
	}
}

func isPositionColumn(c *column) bool {
	for _, w := range c.words {
		if w == "position" || w == "pos" {
			return true
		}
	}
	return false
}

// subjectNouns: "this band", "this team", "the team" name what the whole
// table is about, not a condition on its rows.
var subjectNouns = set("band", "team", "group", "artist", "singer", "player", "club", "country", "school", "season",
	"squad", "musician", "rapper", "actor", "actress", "author", "driver", "athlete", "wrestler", "show", "series",
	"city", "company", "film", "list", "chart", "table", "page")

// linkSubject marks "this band", "this team's", and "on the team" ending
// the question, as read: the table's own subject. Only a noun no column or
// value takes.
func (l *linked) linkSubject() {
	free := func(i int) bool {
		n := l.words[i]
		return subjectNouns[n.s] && n.col == nil && n.val == nil
	}
	for i := 0; i+1 < len(l.words); i++ {
		if (l.words[i].w == "this" || l.words[i].w == "these") && free(i+1) {
			l.words[i].filler, l.words[i+1].filler = true, true
		}
	}
	if n := len(l.words); n >= 3 && l.words[n-2].w == "the" && free(n-1) {
		switch l.words[n-3].w {
		case "on", "in", "for", "of":
			l.words[n-3].filler, l.words[n-2].filler, l.words[n-1].filler = true, true, true
		}
	}
}

// linkWinners reads "who won", "which driver won" as the table's one text
// column of winners ("Winner", "Winning team"): the verb names the column,
// the person noun before it is read with it. Not when a value follows the
// verb ("who won against V" asks the same; "V won" is a condition, read by
// conditions).
func (l *linked) linkWinners() {
	var win *column
	for _, c := range l.s.cols {
		if isWinnerColumn(c) && c.kind == duck.KindText {
			if win != nil {
				return
			}
			win = c
		}
	}
	if win == nil {
		return
	}
	for i, w := range l.words {
		if !winVerbs[w.w] || w.w == "winner" || w.col != nil || w.val != nil || i == 0 {
			continue
		}
		p := l.words[i-1]
		switch {
		case p.w == "who" && p.col == nil:
		case personNouns[p.s] && p.col == nil && p.val == nil && i >= 2 && (l.words[i-2].w == "which" || l.words[i-2].w == "what"):
			l.words[i-1].filler = true
		default:
			continue
		}
		l.words[i].col = win
	}
}
