package builtin

import (
	"strings"
	"testing"
)

const filmsCastCSV = `Year,Film Title,Genre,Cast
1988,Tarka,Mystery,"Shankar Nag, Devaraj"
1990,Utkarsha,Thriller,"Dr.Ambareesh, Devaraj"
1991,Sangarsha,Thriller,"Dr.Vishnuvardhan, Geetha"
1996,Beladingala Baale,Love story,Ananth Nag
2011,Sarigama,Romance,"Prajwal Devaraj, Sunil Raoh"
2013,Tanana Tandanana,Drama,"Ramesh Aravind, Ananth Nag"
`

const lmpWinnersCSV = `Rnd,Circuit,Winning drivers
1,Sebring,Rinaldo Capello / Tom Kristensen / Allan McNish
2,Reliant Park,Clint Field / Liz Halliday
3,Mid-Ohio,Tom Kristensen / Allan McNish
4,Lime Rock,Tom Kristensen
`

// A name that is one item of list cells ("Shankar Nag, Devaraj") names
// every cell listing it, the cell holding only it too; a longer name
// containing it ("Prajwal Devaraj") is another item.
func TestItemsOfListCells(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{filmsCastCSV, "films_cast.csv", "how many films starred devaraj?", "2"},
		{filmsCastCSV, "films_cast.csv", "how many films starred ananth nag?", "2"},
		{filmsCastCSV, "films_cast.csv", "what is the genre for geetha?", "Thriller"},
		// A plural asks for every row: the names, all of them.
		{filmsCastCSV, "films_cast.csv", "which films starred devaraj?", "Tarka|Utkarsha"},
		{lmpWinnersCSV, "lmp_winners.csv", "how many races did tom kristensen win?", "3"},
		{lmpWinnersCSV, "lmp_winners.csv", "which circuit did liz halliday win at?", "Reliant Park"},
	})
	rec := ask(t, ingest(t, "films_cast.csv", filmsCastCSV), "how many films starred devaraj?")
	if !strings.Contains(rec.text(), "Cast lists “devaraj”") {
		t.Errorf("the reading does not say the cells list the name:\n%s", rec.text())
	}
}
