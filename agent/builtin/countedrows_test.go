package builtin

import (
	"strings"
	"testing"
)

const singlesCSV = `Year,Single,Chart,Album
1997,Automatic,12,Losing Streak
1997,Dopeman,—,Losing Streak
1997,Stand,30,Losing Streak
1999,Brand New,8,Second Wind
1999,Fade,—,Second Wind
2001,Rise,22,Third
`

const golfWinsCSV = `No.,Date,Tournament,Winning score
1,"Jul 18, 1982",Miller Classic,−12
2,"Apr 23, 1983",Disney Classic,−19
3,"Apr 10, 1984",Heritage Open,−8
4,"Mar 5, 1985",Desert Classic,−15
5,"Apr 2, 1986",Masters Week,−10
`

const crewsCSV = `Crew,Country,Members
Blue Arrows,Norway,8
Red Kites,Sweden,6
Sea Wolves,Norway,7
Iron Oars,Finland,5
`

// "which year has the most singles": a column that names the table's
// rows, asked for in the plural, counts them per group, by a column or by
// a month of a date column; a column that does not name the rows is not
// counted so.
func TestMostOfTheRowsNoun(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{singlesCSV, "singles.csv", "which year has the most singles?", "1997"},
		{singlesCSV, "singles.csv", "what album had the most singles?", "Losing Streak"},
		{singlesCSV, "singles.csv", "which album had the fewest singles?", "Third"},
		{golfWinsCSV, "golf_wins.csv", "what month were the most tournaments held in?", "April"},
		{golfWinsCSV, "golf_wins.csv", "which month had the most tournaments?", "April"},
		{crewsCSV, "crews.csv", "which country has the most crews?", "Norway"},
		// Album does not name the rows (two values for six rows): "the
		// most albums" per year is no count of rows.
		{singlesCSV, "singles.csv", "which year has the most albums?", ""},
	})
}

const dramasCSV = `Airing date,English title (Chinese title),Number of episodes,Genre
19 Feb,Mutual Affection 河東獅吼,20,Costume drama
18 Mar,Dark Tales 聊齋,35,Costume drama
19 Aug,The Price to Pay 五個醒覺的少年,20,Modern drama
7 Oct,Moscow Nights Москва,12,Modern drama
`

// A name written in Latin letters and then in its own script is found by
// its Latin words, and the answer names it so, in bold, with the original
// after it.
func TestNameWithItsOriginalScript(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{dramasCSV, "dramas.csv", "which had less episodes, the price to pay or dark tales?", "The Price to Pay"},
		{dramasCSV, "dramas.csv", "which had more episodes, the price to pay or dark tales?", "Dark Tales"},
		{dramasCSV, "dramas.csv", "how many episodes did moscow nights have?", "12"},
		{dramasCSV, "dramas.csv", "what genre is mutual affection?", "Costume drama"},
	})
	rec := ask(t, ingest(t, "dramas.csv", dramasCSV), "which had less episodes, the price to pay or dark tales?")
	if !strings.Contains(rec.text(), "**The Price to Pay** 五個醒覺的少年") {
		t.Errorf("the answer does not name the drama in its Latin words first:\n%s", rec.text())
	}
}

const cyclistsCSV = `Rank,Cyclist,Team,Points
1,John Degenkolb (GER),Argos,80
2,André Greipel (GER),Lotto,60
3,Alexander Kristoff (NOR),Katusha,50
4,Thor Hushovd (NOR),BMC,40
5,Elia Viviani (ITA),Cannondale,30
6,Peter Sagan (SVK),Cannondale,22
`

const codedNationsCSV = `Athlete,Nation,Time
Kim,KOR,10.2
Lee,KOR,10.4
Sato,JPN,10.1
`

const twoCodeColumnsCSV = `Home,Away,Score
Berg (NOR),Lund (SWE),2–1
Moen (SWE),Dahl (NOR),0–0
`

// A country named in a question, or its adjective, is the cells carrying
// its code, in brackets after a name or alone; codes in two columns, or a
// country no cell carries, are not guessed.
func TestCountryCodesInCells(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{cyclistsCSV, "cyclists.csv", "how many cyclists are from norway?", "2"},
		{cyclistsCSV, "cyclists.csv", "how many german cyclists are there?", "2"},
		{cyclistsCSV, "cyclists.csv", "what is the total points for germany?", "140"},
		{cyclistsCSV, "cyclists.csv", "which cyclist from norway had the most points?", "Alexander Kristoff (NOR)"},
		{cyclistsCSV, "cyclists.csv", "how many points did the italian cyclist get?", "30"},
		{codedNationsCSV, "coded_nations.csv", "how many athletes are from south korea?", "2"},
		{codedNationsCSV, "coded_nations.csv", "how many athletes are from japan?", "1"},
		// Neither column is the one asked about.
		{twoCodeColumnsCSV, "two_code_columns.csv", "how many games had a player from norway?", ""},
		// No cell carries France's code: not a zero.
		{cyclistsCSV, "cyclists.csv", "how many cyclists are from france?", ""},
	})
}
