package builtin

import (
	"strings"
	"testing"
)

const episodesCSV = `No.,Title,Directed by,Original air date
1,Pilot,Ann Lee,2007-09-20
2,The Door,Bo Park,2007-09-20
3,Night Shift,Ann Lee,2007-09-27
4,Homecoming,Cy Ortiz,2007-10-04
5,Finale,Bo Park,2007-10-04
`

const finalsCSV = `Date,Winner,Score,Stadium
4 March 2000,Dalian,2–1,Workers Stadium
11 March 2001,Shanghai,1–0,Hongkou
9 March 2002,Dalian,3–0,Workers Stadium
8 March 2003,Beijing,2–2,Workers Stadium
6 March 2004,Shanghai,1–0,Hongkou
`

// "The same C as V": the other rows whose C holds what V's row holds.
func TestShapeSame(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{clubsCSV, "clubs.csv", "which club has the same points as green park?", "Old Town"},
		{clubsCSV, "clubs.csv", "which club has the same country as river side?", "Red Lions|Green Park"},
		{episodesCSV, "episodes.csv", "what director is listed with the same original air date as pilot?", "Bo Park"},
		{episodesCSV, "episodes.csv", "which title has the same director as night shift?", "Pilot"},
		{finalsCSV, "finals.csv", "how many finals were held in the same stadium as the one on 4 march 2000?", "2"},
		{finalsCSV, "finals.csv", "does any final have the same score as the one on 11 march 2001?", "Yes"},
		{finalsCSV, "finals.csv", "does any final have the same score as the one on 9 march 2002?", "No"},
		{albumsCSV, "albums.csv", "which album has the same year as celebration?", "Merry Clayton"},
		// Ode holds four years: there is no one year to be the same as.
		{albumsCSV, "albums.csv", "which album has the same year as ode?", ""},
		// The thing asked for is the column compared: no question.
		{clubsCSV, "clubs.csv", "which country has the same country as old town?", ""},
		// Words after the anchor that nothing reads.
		{clubsCSV, "clubs.csv", "which club has the same points as green park despite fewer titles?", ""},
	})
}

const repsCSV = `Month,Region,Rep,Units,Revenue
Jan,North,Ann,10,1000
Jan,South,Bob,30,2500
Feb,North,Ann,25,2600
Feb,South,Cy,5,400
Mar,North,Bob,20,2000
Mar,South,Cy,40,3000
`

// An anchor holding several values of the compared column has no "same":
// the question is declined, never a failed query shown to the user.
func TestShapeSameSeveralValues(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{repsCSV, "reps.csv", "which rep has the same region as bob?", ""},
		{repsCSV, "reps.csv", "which rep has the same region as ann?", "Bob"},
	})
	for _, q := range []string{"which rep has the same region as bob?", "how many reps have the same region as bob?", "does any rep have the same region as bob?"} {
		f := ingest(t, "reps.csv", repsCSV)
		rec := ask(t, f, q)
		for _, r := range rec.results() {
			if r.IsError {
				t.Errorf("%q: a query failed: %s", q, rec.text())
			}
		}
		if strings.Contains(strings.ToLower(rec.text()), "subquery") {
			t.Errorf("%q: the answer shows a query error: %s", q, rec.text())
		}
	}
}
