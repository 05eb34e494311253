package builtin

import (
	"strings"
	"testing"
)

const ogaeCSV = `Draw,Country,Language,Song,Place,Points
01,Malta,English,"""Caravaggio""",13,53
02,Israel,Hebrew,"""Parparim""",8,90
03,Estonia,English,"""Randajad""",15,0
04,Spain,Spanish,"""Perdóname""",2,149
`

const ogaeNotesCSV = `Country,Points,Notes
Malta,53,
Spain,149,won the contest
Estonia,0,
`

const ogaeYearsCSV = `Year,Country,Points
2008,Malta,53
2008,Spain,149
2009,Estonia,12
`

// Words naming what the whole table is about, its page's title, are set
// aside and said so; words that could be a condition are not.
func TestTitleOfTheTable(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{ogaeCSV, "ogae.csv", "how many of the songs in the 2008 ogae second chance contest were in english?", "2"},
		{ogaeCSV, "ogae.csv", "which country received the least amount of points in the 2008 ogae second chance contest?", "Estonia"},
		{ogaeCSV, "ogae.csv", "which country got the most points in the contest?", "Spain"},
		// Not an event or a body: could be a condition the table lacks.
		{ogaeCSV, "ogae.csv", "which country got the most points in the southern region?", ""},
		// A word of the cells: the phrase may be a condition.
		{ogaeNotesCSV, "ogae_notes.csv", "which country got the most points in the contest?", ""},
		// A year column: the year is a condition (2007 is in no row).
		{ogaeYearsCSV, "ogae_years.csv", "which country got the most points in the 2007 contest?", ""},
		{ogaeYearsCSV, "ogae_years.csv", "which country got the most points in the contest?", "Spain"},
	})
	f := ingest(t, "ogae.csv", ogaeCSV)
	if text := ask(t, f, "which country got the most points in the 2008 ogae contest?").text(); !strings.Contains(text, "taking “in the 2008 ogae contest” as what the whole table is about") {
		t.Errorf("the reading does not say what was set aside:\n%s", text)
	}
}
