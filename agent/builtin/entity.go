package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// The rows of a table are things (airbases, albums, companies) that
// questions name by a noun of their own: "which company had the least
// revenue", "what is the first airbase listed", "who finished first". That
// noun is read as the table's name column only in the slot of the thing
// asked for (after which/what, "the first", "how many"), and never when it
// names a kind of column the table has but the question did not name (a
// year, a country, a person).

// nameColumn is the column that names the rows: the first text column of
// the first three whose values are all different and present.
func (s *schema) nameColumn() *column {
	for i, c := range s.cols {
		if i >= 3 {
			break
		}
		if len(c.words) == 0 || rankNames[c.words[0]] {
			continue // "Pos.", "Rank", "No.": the row's place, not its name
		}
		if c.kind == duck.KindText && !c.numText && c.dateFmt == "" && s.rows > 0 && c.distinct >= s.rows && c.nonNull == s.rows {
			return c
		}
	}
	return nil
}

// personColumn is the name column read for a person noun no column is
// named for ("who", "which candidate"): only when no other text column
// also names each row once. A table of districts and their incumbents
// names each row twice; "the candidate" there is not the district.
func (s *schema) personColumn() *column {
	n := s.keyColumn()
	if n == nil {
		return nil
	}
	for _, c := range s.cols {
		if c != n && c.kind == duck.KindText && !c.numText && c.dateFmt == "" && s.rows > 0 && c.distinct >= s.rows && c.nonNull == s.rows {
			return nil
		}
	}
	return n
}

var rankNames = set("pos", "position", "rank", "no", "number", "place", "seed", "code", "id")

// nounClasses are nouns that stand for a kind of column: the noun is read
// as the one column of its kind, else (for a person) the name column, else
// not at all.
var nounClasses = map[string][]string{
	"country":  {"country", "nation", "nationality", "team"},
	"nation":   {"country", "nation", "nationality", "team"},
	"year":     {"year", "season", "date"},
	"season":   {"season", "year"},
	"date":     {"date", "day"},
	"day":      {"date", "day"},
	"month":    {"month", "date"},
	"city":     {"city", "town", "location", "venue", "place"},
	"town":     {"town", "city", "location", "place"},
	"venue":    {"venue", "stadium", "location", "place"},
	"location": {"location", "venue", "place", "city"},
	"place":    {"place", "location", "venue", "city"},
	"team":     {"team", "club"},
	"club":     {"club", "team"},
	"player":   {"player", "name", "athlete"},
	"athlete":  {"athlete", "name", "player"},
	"driver":   {"driver", "name", "rider"},
	"rider":    {"rider", "name", "driver"},
	"racer":    {"driver", "rider", "name", "racer"},
	"person":   {"name", "player", "athlete"},
	"who":      {"name", "player", "athlete", "driver", "rider", "wrestler", "candidate", "artist"},
}

// personNouns may fall back to the name column when no column of their
// kind exists ("who", "which player" on a table of players).
var personNouns = set("who", "player", "athlete", "driver", "rider", "racer", "person", "wrestler", "candidate",
	"artist", "singer", "coach", "swimmer", "skier", "runner", "cyclist", "boxer", "golfer", "pilot", "competitor")

// entityColumn reads the noun w (singular) in the slot of the thing asked
// for as a column, or nil. A column of a figure about the kind ("Team
// record", "Team points") is not the kind.
func (s *schema) entityColumn(w string) *column {
	if cls, ok := nounClasses[w]; ok {
		var found *column
		for _, c := range s.cols {
			for _, cw := range c.words {
				for _, k := range cls {
					if cw == k && found != c && !figureOf(c, cw) {
						if found != nil {
							return nil // two columns of the kind
						}
						found = c
					}
				}
			}
		}
		if found != nil && (found.isTemporal() || found.dateFmt != "") && w != "date" && w != "day" {
			return nil // "which year" of daily dates asks for a group
		}
		if found != nil {
			return found
		}
		if !personNouns[w] {
			return nil
		}
		return s.personColumn() // "who" on a table of teams: the team
	}
	if kindNouns[w] {
		for _, c := range s.cols {
			for _, cw := range c.words {
				if cw == w || cw == agentVerbs[w] {
					return c
				}
			}
		}
		return nil
	}
	if !s.rowsKindNoun(w) {
		return nil
	}
	if personNouns[w] {
		return s.personColumn()
	}
	return s.keyColumn()
}

// rowsKindNoun reports whether the noun w (singular), in the slot of the
// thing asked for, can stand only for the kind of thing the rows are ("what
// grand prix", "which building"): no kind of column, no time, no word the
// grammar reads.
func (s *schema) rowsKindNoun(w string) bool {
	if _, ok := nounClasses[w]; ok || kindNouns[w] {
		return false
	}
	return !timeNouns[w] && !stopWords[w] && !knownWord(w) && (!isReserved(w) || personNouns[w])
}

// keyColumn is the name column when it is the table's first text column:
// the rows are named by it. A text column before it holding repeats
// (an event held twice, then its distinct hosts) says the rows are not
// the name column's things, and a noun of the rows names neither.
func (s *schema) keyColumn() *column {
	c := s.nameColumn()
	if c == nil {
		return nil
	}
	for _, o := range s.cols {
		if o == c {
			return c
		}
		if o.kind == duck.KindText && !o.numText && o.dateFmt == "" && len(o.words) > 0 && !rankNames[o.words[0]] {
			return nil
		}
	}
	return nil
}

// kindNouns name a kind of column, never the rows themselves: read only as
// a column of that name.
var kindNouns = set("stadium", "arena", "ground", "venue", "coach", "manager", "director", "label", "position",
	"party", "state", "province", "region", "county", "district", "school", "college", "university", "league",
	"division", "round", "event", "competition", "tournament", "sport", "opponent", "score", "result", "record",
	"language", "genre", "network", "channel", "owner", "builder", "manufacturer", "make", "model", "engine",
	"surface", "course", "circuit", "rank", "nationality", "nation", "country", "team",
	"club", "city", "town", "place", "location", "brand", "producer", "writer", "composer", "winner", "loser",
	"designer", "publisher", "developer")

// agentVerbs: a column named for what its people did ("Directed by") is
// asked for by the doer ("which director").
var agentVerbs = map[string]string{"director": "directed", "writer": "written", "producer": "produced",
	"composer": "composed", "builder": "built", "designer": "designed", "publisher": "published", "developer": "developed"}

var timeNouns = set("year", "years", "season", "seasons", "date", "dates", "day", "days", "month", "months", "week",
	"time", "times", "when", "decade")

// entityAt reads word i as the thing asked for: an unplaced word after
// which/what ("which company"), or "who". It returns the column and marks
// the word used.
func (l *linked) entityAt(i int) *column {
	if i < 0 || i >= len(l.words) {
		return nil
	}
	w := l.words[i]
	if w.used || w.col != nil || w.val != nil || w.isNum {
		return nil
	}
	c := l.s.entityColumn(w.s)
	if c == nil {
		c = l.s.startColumn(w.s) // "airports" of "Airport Name"
	}
	if c == nil && l.nameNoun(w.s) {
		c = l.s.nameColumn() // "which lake" of lakes named "Lake …"
	}
	if c != nil {
		l.use(i)
	}
	return c
}

// askedEntity finds the thing a which/what/who question asks for: a
// column named right after the question word, or an entity noun there, or
// "who" alone. It returns the column and the index of its last word.
func (l *linked) askedEntity() (*column, int) {
	for i, w := range l.words {
		switch {
		case w.w == "who" && w.col == nil && w.val == nil:
			l.use(i)
			if c := l.s.entityColumn("who"); c != nil {
				return c, i
			}
			return nil, -1
		case (w.w == "which" || w.w == "what") && w.col == nil && w.val == nil:
			l.use(i)
			j := i + 1
			if j < len(l.words) && l.words[j].col != nil {
				c := l.words[j].col
				for j+1 < len(l.words) && l.words[j+1].col == c {
					j++
				}
				return c, j
			}
			if c := l.entityAt(j); c != nil {
				return c, j
			}
			if w.w == "which" && j+1 < len(l.words) && l.words[j].w == "one" && l.words[j].col == nil && l.words[j].val == nil {
				j++ // "which one has the most votes": the same as "which has"
			}
			if w.w == "which" && j < len(l.words) && (l.words[j].w == "has" || l.words[j].w == "had" ||
				(l.words[j].w == "is" || l.words[j].w == "was") && j+2 < len(l.words) && l.words[j+1].w == "the" &&
					superlatives[l.words[j+2].w] != 0) {
				// "which has the most surface", "which is the largest
				// days held": the rows themselves.
				if c := l.s.nameColumn(); c != nil {
					return c, i
				}
			}
			return nil, -1
		}
	}
	return nil, -1
}

// totalRows are conditions that leave out a table's own total row (a
// name cell reading "Total"), which sums, counts and rankings must not read
// as one more row.
func totalRows(idx *duck.ValueIndex, s *schema) []cond {
	if idx == nil {
		return nil
	}
	var out []cond
	for _, ic := range idx.Columns {
		c := s.column(ic.Name)
		if c == nil || c.kind != duck.KindText {
			continue
		}
		for _, v := range ic.Values {
			t, ok := v.Value.(string)
			if !ok {
				continue
			}
			switch w := strings.Trim(strings.ToLower(strings.TrimSpace(t)), ":*"); {
			case v.Count == 1 && (w == "total" || w == "totals" || w == "grand total" || w == "overall" || w == "sum"),
				v.Count > 1 && (w == "total" || w == "totals" || w == "grand total") && totalPerPeriod(ic, v.Count):
				out = append(out, cond{sql: c.ident() + " IS DISTINCT FROM " + duck.QuoteString(t)})
			}
		}
	}
	return out
}

// totalPerPeriod reports whether a "Total" held by n rows is a total row
// repeated per period (a medal table's Total each year): a column of
// several names, none held by more rows than the total, with all its
// values listed. "Total" as one of a few kinds (an eclipse's type) is not.
func totalPerPeriod(ic duck.IndexedColumn, n int64) bool {
	if !ic.Complete || len(ic.Values) < 5 {
		return false
	}
	for _, v := range ic.Values {
		if v.Count > n {
			return false
		}
	}
	return true
}

// startColumn is the one text column whose name starts with the noun w
// (singular), read in the slot of the thing asked for ("top 3 airports by
// number of strikes" of "Airport Name"), or nil. A noun naming the rows
// themselves is not a column, nor is a figure about the noun ("Team
// record" holds the team's record, "1–1", not teams).
func (s *schema) startColumn(w string) *column {
	if s.rowNoun(w) || stopWords[w] || knownWord(w) || isReserved(w) || timeNouns[w] {
		return nil
	}
	var found *column
	for _, c := range s.cols {
		if len(c.words) > 1 && c.words[0] == w {
			if found != nil || c.kind != duck.KindText || c.numText || c.dateFmt != "" || figureOf(c, w) {
				return nil
			}
			found = c
		}
	}
	return found
}

// figureOf reports a column named for a figure about the noun w ("Team
// record" of team): another word of its name is a statWord.
func figureOf(c *column, w string) bool {
	for _, cw := range c.words {
		if cw != w && statWords[cw] {
			return true
		}
	}
	return false
}

// statWords name a figure about a thing, not the thing.
var statWords = set("record", "score", "result", "total", "point", "rank", "ranking", "position", "standing",
	"number", "count", "average", "percentage", "percent", "margin", "time", "date", "year", "size", "rate")
