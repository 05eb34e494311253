package builtin

import (
	"fmt"
	"testing"
)

// A number with a unit in the question finds the column whose cells are
// written in that unit ("192 pp", "5 games"), even when its name does not
// say it; each count checked against a query on the raw text.
func TestUnitsWrittenInCells(t *testing.T) {
	books := ingest(t, "novels_pages.csv", `Title,Year,Length
Alpha,1990,192 pp
Beta,1992,320 pp
Gamma,1995,319 pp
Delta,1999,254 pp
Epsilon,2001,410 pp
`)
	streaks := ingest(t, "team_streaks.csv", `Streak,Season,Length
Wins,2001,5 games
Losses,2001,1 game
Wins,2002,12 games
Draws,2002,3 games
`)
	lead := func(col string) string {
		return `CAST(split_part("` + col + `", ' ', 1) AS INT)`
	}
	for _, c := range []struct {
		f   *fixture
		q   string
		ref string
	}{
		{books, "how many novels are longer than 300 pp?", `SELECT count(*) FROM data WHERE ` + lead("Length") + ` > 300`},
		{books, "how many novels have fewer than 260 pp?", `SELECT count(*) FROM data WHERE ` + lead("Length") + ` < 260`},
		{streaks, "how many streaks were longer than 4 games?", `SELECT count(*) FROM data WHERE ` + lead("Length") + ` > 4`},
	} {
		t.Run(c.q, func(t *testing.T) {
			want := fmt.Sprint(c.f.sql(t, c.ref)[0][0])
			rec := ask(t, c.f, c.q)
			if v, got := judge(rec, []string{want}); v != right {
				t.Errorf("%s: got %q, want %s\n%s", v, got, want, rec.text())
			}
		})
	}
}
