package builtin

import (
	"strings"
	"unicode"

	"github.com/analyzerhq/analyzer/duck"
)

// A table's rows have a noun of their own: "flights" in flights.csv, "days"
// in a table of one row per date ("count of days by weather", "which origin
// has the most flights"). The noun names the rows only when no column or
// value of the table takes the word, and only nouns the table itself gives
// count: the words of its file's name, the unit of a date column that
// holds one row per date, and "games" of a table of results against
// opponents. Any other noun is left unplaced, never guessed.

// rowNoun reports whether the word w (lower case, singular) names the
// table's rows.
func (s *schema) rowNoun(w string) bool {
	if len(w) < 3 || stopWords[w] || fillers[w] || knownWord(w) {
		return false
	}
	for _, fw := range nameWords(fileStem(s.filename)) {
		// "strikes" of birdstrikes.csv: the noun a compound ends with.
		if (fw == w || len(w) >= 4 && strings.HasSuffix(fw, w)) && !strings.ContainsFunc(fw, unicode.IsDigit) {
			return true
		}
	}
	if (w == "game" || w == "match") && s.gameRows() {
		return true
	}
	return w == "day" && s.dailyColumn() != nil
}

// gameRows reports a table of one row per game: a column of opponents and
// one of results or scores, and nothing that makes a row a goal or a
// player ("Goal", "Scorer", "Player", "Name"), nor a column of games
// (which "games" names itself). "how many games" counts its rows.
func (s *schema) gameRows() bool {
	opp, res := false, false
	for _, c := range s.cols {
		for _, w := range c.words {
			switch w {
			case "opponent", "opposition", "opposing":
				opp = true
			case "result", "score", "outcome":
				res = true
			case "player", "game", "match", "name":
				return false
			}
		}
	}
	return opp && res && !s.goalRows()
}

// dailyColumn is the table's one date column when it holds one row per
// date (daily weather), or nil.
func (s *schema) dailyColumn() *column {
	d := s.dateColumn()
	if d == nil || s.rows <= 0 || d.distinct < s.rows || d.nonNull != s.rows {
		return nil
	}
	if d.isTemporal() && d.dateFmt == "" && !strings.EqualFold(d.Type, "DATE") {
		return nil // timestamps: several rows a day may still be distinct
	}
	return d
}

// rowNounAt reports whether word i names the table's rows.
func (l *linked) rowNounAt(i int) bool {
	if i < 0 || i >= len(l.words) {
		return false
	}
	w := l.words[i]
	return w.col == nil && w.val == nil && !w.isNum && (rowWords[w.w] || l.s.rowNoun(w.s))
}

// useRowNouns marks every word naming the rows as read, for a shape that
// counts rows. It returns the last such word ("flights"), "" if none.
func (l *linked) useRowNouns() string {
	noun := ""
	for i := range l.words {
		if l.rowNounAt(i) && !l.words[i].used {
			l.use(i)
			noun = l.words[i].w
		}
	}
	return noun
}

// periodSQL reads "days", "months", "years" (singular w) as the periods
// of the table's one date column: "how many days had a delay above 60"
// counts dates, not flights. "" when w is no such noun.
func periodSQL(s *schema, w string) string {
	d := s.dateColumn()
	if d == nil || d.kind == duck.KindNumeric {
		return ""
	}
	switch w {
	case "day", "date":
		return d.expr()
	case "month":
		return "date_trunc('month', " + d.expr() + ")"
	case "year":
		return "year(" + d.expr() + ")"
	}
	return ""
}

// rowsWord is the plural the table's rows go by in a question: the noun of
// its file's name ("flights"), "days" of one row per date, else "rows".
func (s *schema) rowsWord() string {
	ws := nameWords(fileStem(s.filename))
	if n := len(ws); n > 0 && s.rowNoun(ws[n-1]) && s.column(ws[n-1]) == nil {
		if p := pluralNoun(ws[n-1]); singular(p) == ws[n-1] {
			return p
		}
	}
	if s.dailyColumn() != nil {
		return "days"
	}
	return "rows"
}

// pluralNoun is a small English pluraliser, the inverse of singular for the
// nouns of file names.
func pluralNoun(w string) string {
	switch {
	case strings.HasSuffix(w, "y") && len(w) > 2 && !strings.ContainsRune("aeiou", rune(w[len(w)-2])):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "x"), strings.HasSuffix(w, "ch"), strings.HasSuffix(w, "sh"):
		return w + "es"
	}
	return w + "s"
}

// nameNoun reports whether w (singular) is the noun the table's rows are
// named with: a word at least a third of the name column's values hold ("Lake
// Geneva", "Lake Constance": lake; "St. Mary Church": church). "the
// deepest lake" asks for a row, and "lake" is no filter of the names.
func (l *linked) nameNoun(w string) bool {
	if len(w) < 3 || stopWords[w] || l.idx == nil {
		return false
	}
	if l.nameNouns == nil {
		l.nameNouns = map[string]bool{}
		c := l.s.nameColumn()
		if c == nil {
			return false
		}
		for _, ic := range l.idx.Columns {
			if ic.Name != c.Name || !ic.Complete || len(ic.Values) < 4 {
				continue
			}
			counts := map[string]int{}
			for _, v := range ic.Values {
				s, _ := v.Value.(string)
				seen := map[string]bool{}
				for _, x := range wordRe.FindAllString(strings.ToLower(s), -1) {
					if x = singular(x); !seen[x] {
						seen[x] = true
						counts[x]++
					}
				}
			}
			for x, n := range counts {
				if 3*n >= len(ic.Values) {
					l.nameNouns[x] = true
				}
			}
		}
	}
	return l.nameNouns[w]
}

// nounSlot reports whether word i stands where a question names the kind
// of row it asks for: after "which"/"what" or a superlative ("the deepest
// lake"), and closing the question or followed by its verb ("which lake
// is"). "which boston team", "votes did john get" are no such slot.
func (l *linked) nounSlot(i int) bool {
	if i == 0 {
		return false
	}
	p := l.words[i-1].w
	if p != "which" && p != "what" && superlatives[p] == 0 && measureAdjectives[p] == nil {
		return false
	}
	return i == len(l.words)-1 || slotFollowers[l.words[i+1].w]
}

var slotFollowers = set("is", "was", "has", "had", "have", "with", "in", "on", "that", "of")

// goalRows reports a table of one row per goal or scorer ("Goal",
// "Scorer"): its rows are not games.
func (s *schema) goalRows() bool {
	for _, c := range s.cols {
		if namesAny(c.words, []string{"goal", "scorer"}) {
			return true
		}
	}
	return false
}
