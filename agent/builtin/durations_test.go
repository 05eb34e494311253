package builtin

import (
	"fmt"
	"testing"
)

// Lengths of time written in cells ("4:25", "1:10.73", "3m 37s") compared
// with lengths of time in questions ("5:00", "five minutes", "90
// seconds"), on several tables; each answer checked against a reference
// query written by hand on the raw text. A bare number compared with a
// duration, or a duration with a column of other numbers, is declined.
func TestDurationsInCells(t *testing.T) {
	tracks := ingest(t, "tracklist_lengths.csv", `#,Title,Length,Vocals
1,Savior More than Life,6:44,Keisha
2,Whatcha Lookin' 4,4:25,Darrell
3,Melodies from Heaven,4:34,The Family
4,Conquerors,8:24,Dalon
5,When I Think About Jesus,1:38,Tamela
6,Where the Spirit Is,5:02,Kirk
7,Interlude,0:45,Kirk
`)
	races := ingest(t, "slalom_times.csv", `Athlete,Event,Time
Popov,Giant Slalom,1:10.73
Shalamanov,Slalom,55.14
Dimitrachkov,Giant Slalom,DNF
Popangelov,Slalom,57.58
Petrov,Giant Slalom,1:02.10
`)
	eclipses := ingest(t, "solar_eclipses.csv", `Saros,Member,Type,Duration
160,1,Total,3m 37s
160,2,Total,4m 12s
160,3,Annular,1h 02m
160,4,Total,2m 05s
160,5,Hybrid,45s
`)
	// Each value as a person reads it, in seconds.
	trackSecs := `(CAST(split_part("Length", ':', 1) AS INT) * 60 + CAST(split_part("Length", ':', 2) AS INT))`
	for _, c := range []struct {
		f    *fixture
		q    string
		ref  string // a query whose single cell is the answer
		want string // or the answer itself
	}{
		{tracks, "how many tracks last more than 5:00?", `SELECT count(*) FROM data WHERE ` + trackSecs + ` > 300`, ""},
		{tracks, "how many tracks were over five minutes?", `SELECT count(*) FROM data WHERE ` + trackSecs + ` > 300`, ""},
		{tracks, "how many tracks are shorter than 4:30?", `SELECT count(*) FROM data WHERE ` + trackSecs + ` < 270`, ""},
		{tracks, "how many tracks are under 60 seconds?", `SELECT count(*) FROM data WHERE ` + trackSecs + ` < 60`, ""},
		{tracks, "how many tracks have a length of more than 6:00?", `SELECT count(*) FROM data WHERE ` + trackSecs + ` > 360`, ""},
		{races, "how many athletes had a time under 1:00?", "", "2"},
		{races, "how many athletes had a time over 1 minute?", "", "2"},
		{eclipses, "how many eclipses lasted longer than 4 minutes?", "", "2"},
		{eclipses, "how many annular eclipses lasted more than 3 minutes?", "", "1"},
	} {
		t.Run(c.q, func(t *testing.T) {
			want := c.want
			if c.ref != "" {
				want = fmt.Sprint(c.f.sql(t, c.ref)[0][0])
			}
			rec := ask(t, c.f, c.q)
			if v, got := judge(rec, []string{want}); v != right {
				t.Errorf("%s: got %q, want %s\n%s", v, got, want, rec.text())
			}
		})
	}
	// Never a guess: which unit "5" is in is not said.
	for _, c := range []struct {
		f *fixture
		q string
	}{
		{tracks, "how many tracks last more than 5?"},
		{tracks, "how many tracks have a length above 5?"},
		{races, "how many athletes had a time under 60?"},
	} {
		t.Run(c.q, func(t *testing.T) {
			rec := ask(t, c.f, c.q)
			if v, got := judge(rec, []string{"-"}); v != declined {
				t.Errorf("%s (%q), want a decline\n%s", v, got, rec.text())
			}
		})
	}
}

// A number of minutes compared with a column counted in minutes stays a
// number of minutes: only lengths of time written as such are converted.
func TestMinutesColumnNotConverted(t *testing.T) {
	f := ingest(t, "minutes_played.csv", `Player,Minutes,Goals
Ann,95,2
Bea,40,1
Cat,120,0
Dee,88,3
`)
	rec := ask(t, f, "how many players played more than 90 minutes?")
	if v, got := judge(rec, []string{"2"}); v != right {
		t.Errorf("%s: got %q, want 2\n%s", v, got, rec.text())
	}
}

const relayTimesCSV = `Rank,Team,Athletes,Time
1,Norway,Ole Berg,1:10:08.2
2,Ukraine,Olena Pid,1:11:08.2
3,Japan,Hideki Yam,1:12:40.5
`

const lapTimesCSV = `Driver,Race 1,Race 2
Popov,1:10.73,1:12.40
Shalamanov,55.14,1:01.20
`

// "how long" asks for the row's length of time: the table's one duration
// column. Two such columns leave it unsaid which.
func TestHowLongAsksForTheDuration(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{relayTimesCSV, "relay_times.csv", "how long did it take for ukraine to finish?", "1:11:08.2"},
		{relayTimesCSV, "relay_times.csv", "how long did it take japan?", "1:12:40.5"},
		{relayTimesCSV, "relay_times.csv", "how long did norway take to finish the race?", ""},
		{lapTimesCSV, "lap_times.csv", "how long did it take popov to finish?", ""},
	})
}
