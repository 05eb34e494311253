package duck

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func testIndex() *ValueIndex {
	col := func(name string, vals ...any) IndexedColumn {
		c := IndexedColumn{Name: name, Complete: true}
		for i, v := range vals {
			c.Values = append(c.Values, ValueCount{Value: v, Count: int64(100 - i)})
		}
		return c
	}
	return &ValueIndex{Columns: []IndexedColumn{
		col("origin", "Miami", "New York", "New York City", "São Paulo"),
		col("dest", "Miami", "Boston"),
		col("school", "Butler CC (KS)", "Butler"),
		col("season", "1996-97", "1997-98"),
		col("category", "Office Supplies", "Furniture"),
		col("grade", "A", "B"),
		col("driver", "Scott Dixon (W)1", "Oriol Servià1", "Ty Lawson (37)", "Platinum[citation needed]"),
		col("candidates", `Peter McGowan\nThomas Mullins`, `C:\new folder`),
		col("member", "Brian & Roger", "Brian"),
		col("model", "Mark 1", "S800c"),
		col("title", "Melodies from Heaven", "Melodies from Heaven (skate remix)"),
		col("series", "The Price to Pay 五個醒覺的少年", "Moscow Москва", "Москва"),
		col("cast", "Shankar Nag, Devaraj", "Dr.Ambareesh, Devaraj", "Devaraj", "Ramesh Aravind, Ananth Nag (guest)"),
		col("nation", "China", "Hong Kong, China", "Japan", "Korea"),
		col("venue", "Dresden, Hoftheater", "Stuttgart, Hoftheater", "Dresden Staatsoper"),
		col("outcome", "Runner-up", "Winner", "Gas"),
		col("scorers", "S : Dejan Damjanović", "S : Bang Seung-Hwan, Dejan Damjanović", "Choi Hyun-Tae, Mu Kanazaki"),
	}}
}

func matches(ms []ValueMatch, q string) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, fmt.Sprintf("%s=%s@%s", m.Column, m.Value, q[m.Span[0]:m.Span[1]]))
	}
	return strings.Join(parts, "; ")
}

func TestValueIndexLookup(t *testing.T) {
	idx := testIndex()
	for _, tc := range []struct{ q, want string }{
		// Case, and a value in two columns: two candidates, most frequent first.
		{"flights out of MIAMI", "origin=Miami@MIAMI; dest=Miami@MIAMI"},
		// Punctuation inside the value and around it.
		{"How did Butler CC (KS) do?", "school=Butler CC (KS)@Butler CC (KS)"},
		{"how did butler cc ks do", "school=Butler CC (KS)@butler cc ks"},
		// A value that is a prefix of another: the longest run wins, and
		// the shorter value still matches on its own.
		{"what about butler", "school=Butler@butler"},
		{"to New York City in 1997-98", "origin=New York City@New York City; season=1997-98@1997-98"},
		{"to new york", "origin=New York@new york"},
		// A season with a dash, and not its first year alone.
		{"best team in 1996-97", "season=1996-97@1996-97"},
		{"best team in 1996", ""},
		// Accents.
		{"sales in sao paulo", "origin=São Paulo@sao paulo"},
		// Plurals.
		{"office supply sales", "category=Office Supplies@office supply"},
		{"furnitures", "category=Furniture@furnitures"},
		// A compound's short last word in the plural; short words alone
		// are no plurals ("gas").
		{"how many runner-ups", "outcome=Runner-up@runner-ups"},
		{"how many winners", "outcome=Winner@winners"},
		{"the gas", "outcome=Gas@gas"},
		{"the ga", ""},
		// A one-letter value is not the article.
		{"give me a list", ""},
		{"students with grade b", "grade=B@b"},
		// A name with what tables append to it: a part in parentheses or
		// brackets, a footnote digit; the match is the stored value.
		{"how many laps did scott dixon lead", "driver=Scott Dixon (W)1@scott dixon"},
		{"oriol servia", "driver=Oriol Servià1@oriol servia"},
		{"points of ty lawson (37)", "driver=Ty Lawson (37)@ty lawson (37)"},
		{"which were platinum", "driver=Platinum[citation needed]@platinum"},
		// A line break escaped as \n parts two names.
		{"votes of peter mcgowan thomas mullins", `candidates=Peter McGowan\nThomas Mullins@peter mcgowan thomas mullins`},
		// Not the letters of a path.
		{"files in c new folder", `candidates=C:\new folder@c new folder`},
		// A number that ends a name is part of it.
		{"what comes after mark 1", "model=Mark 1@mark 1"},
		{"mark", ""},
		// A whole value beats another value's core.
		{"the track before melodies from heaven", "title=Melodies from Heaven@melodies from heaven"},
		{"melodies from heaven (skate remix)", "title=Melodies from Heaven (skate remix)@melodies from heaven (skate remix)"},
		// A name followed by its original in another script.
		{"which had less episodes, the price to pay or x", "series=The Price to Pay 五個醒覺的少年@the price to pay"},
		{"moscow", "series=Moscow Москва@moscow"},
		{"москва", "series=Москва@москва"},
		// An item of list cells: every cell listing it, the cell that is
		// only it too.
		{"films with devaraj", "cast=Shankar Nag, Devaraj@devaraj; cast=Dr.Ambareesh, Devaraj@devaraj; cast=Devaraj@devaraj"},
		{"films with ananth nag", "cast=Ramesh Aravind, Ananth Nag (guest)@ananth nag"},
		// Only a column of lists is read so: "Hong Kong, China" among
		// countries is one name.
		{"population of china", "nation=China@china"},
		// A first item that also begins a value that is no list is left
		// to the values it begins.
		{"operas at the dresden", ""},
		{"operas at the stuttgart", "venue=Stuttgart, Hoftheater@stuttgart"},
		// A name some cell holds other than as an item: the items would
		// count it short.
		{"goals by dejan damjanovic", ""},
		{"goals by mu kanazaki", "scorers=Choi Hyun-Tae, Mu Kanazaki@mu kanazaki"},
		// "&" is asked as "and".
		{"where did brian and roger play", "member=Brian & Roger@brian and roger"},
		{"brian & roger", "member=Brian & Roger@brian & roger"},
	} {
		if got := matches(idx.Lookup(tc.q), tc.q); got != tc.want {
			t.Errorf("Lookup(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
	var nilIdx *ValueIndex
	if nilIdx.Lookup("miami") != nil {
		t.Error("nil index matched")
	}
}

const indexCSV = `team,city,season,year,points,note
Butler CC (KS),Miami,1996-97,1996,10,first
Miami Dade,São Paulo,1996-97,1997,12,second
Butler CC (KS),Miami,1997-98,1997,14,third
`

func TestValueIndexBuiltAtIngest(t *testing.T) {
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "teams.csv", []byte(indexCSV))
	idx, err := e.Values(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]IndexedColumn{}
	for _, c := range idx.Columns {
		names[c.Name] = c
	}
	if c, ok := names["team"]; !ok || !c.Complete || len(c.Values) != 2 || c.Values[0].Value != "Butler CC (KS)" || c.Values[0].Count != 2 {
		t.Errorf("team = %+v", names["team"])
	}
	if _, ok := names["year"]; !ok {
		t.Errorf("low-cardinality integer column not indexed: %+v", idx.Columns)
	}
	got := matches(idx.Lookup("points of butler cc (ks) in sao paulo in 1996-97"), "points of butler cc (ks) in sao paulo in 1996-97")
	if got != "team=Butler CC (KS)@butler cc (ks); city=São Paulo@sao paulo; season=1996-97@1996-97" {
		t.Errorf("lookup = %s", got)
	}
	// "miami" is a city and a prefix of a team.
	if got := matches(idx.Lookup("games in miami"), "games in miami"); got != "city=Miami@miami" {
		t.Errorf("miami = %s", got)
	}
	p, err := e.Profile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Column("team"); c == nil || c.Indexed != 2 || !c.IndexComplete {
		t.Errorf("team profile = %+v", c)
	}
}
