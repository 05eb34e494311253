package builtin

import "testing"

// Questions that name the rows by a noun of their own, the table holding
// no column or value of that name, and say where a row stands in the
// table's order with words that add nothing ("to be listed", "the next …
// after", "on top of the list").

const cupsCSV = `Event,Host,Year
Alpha Cup,Rome,1990
Boreal Open,Oslo,1992
Cinder Classic,Lyon,1995
Delta Trophy,Kyiv,1999
Boreal Open,Riga,2003
`

const pairsCSV = `column0,Separation (au),Period (years)
AB,12.5,40
AC,30.1,120
EF,4.2,11
EG,8.8,26
`

const skipsCSV = `Rank,Country,Skip,Points
1,Canada,Ann Lee,98
2,Sweden,Bo Ek,91
3,Norway,Kari Dahl,80
4,Japan,Yui Sato,77
`

const peopleCSV = `Rank,Name,Birthplace
1,Wayne Grey,Brantford
2,Bobby Orr,Parry Sound
3,Gordie Howe,Floral
`

func TestListedFillers(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// "the next … after", "to be listed": one request, said twice.
		{cupsCSV, "nfa.csv", "what is the next contest to be listed after cinder classic?", "Delta Trophy"},
		{cupsCSV, "nfa.csv", "what was the next host after oslo?", "Lyon"},
		{cupsCSV, "nfa.csv", "what was the previous host before lyon?", "Oslo"},
		{pairsCSV, "nfb.csv", "what is the next one to be listed after ef?", "EG"},
		// Both sides: the row before and the row after.
		{skipsCSV, "nfc.csv", "which countries are above/below sweden", "Canada|Norway"},
		{cupsCSV, "nfa.csv", "which host is listed before and after lyon?", "Oslo|Kyiv"},
		// V in two rows has no one pair of neighbours.
		{cupsCSV, "nfa.csv", "which contests are above/below boreal open", ""},
		// Two directions are no echo.
		{cupsCSV, "nfa.csv", "what is the next host before lyon?", ""},
		// "on top of the list", "at the bottom of the table": first, last.
		{skipsCSV, "nfc.csv", "which skip is on top of the list?", "Ann Lee"},
		{skipsCSV, "nfc.csv", "which country is at the bottom of the table?", "Japan"},
		{peopleCSV, "nfd.csv", "who is on top of the list?", "Wayne Grey"},
		{peopleCSV, "nfd.csv", "which hockey player is at the bottom of the list?", ""},
		// The rows of an event held twice are no events: its distinct
		// hosts are no name of them.
		{cupsCSV, "nfa.csv", "what contest is at the bottom of the table?", ""},
		{cupsCSV, "nfa.csv", "who is on top of the list?", ""},
		// The noun of the rows asks for a row of the value's column; a
		// word before it would be a filter no column holds.
		{cupsCSV, "nfa.csv", "which purple contest is listed after cinder classic?", ""},
		// "on top of the standings" ranks; it is not the list's order.
		{skipsCSV, "nfc.csv", "which skip is on top of the standings?", ""},
		// A possessive: the country's value of the row its noun names.
		{skipsCSV, "nfc.csv", "which country's team ranked first?", "Canada"},
		{skipsCSV, "nfc.csv", "which country's purple team ranked first?", ""},
	})
}

const filmsCSV = `Year,Film Title,Genre,Notes
1990,Marma,Drama,
1991,Parva,Love story,Film debut
1992,Sparsha,Love story,
1993,Kalki,Action,
`

func TestAppearsTheMost(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{filmsCSV, "nfe.csv", "which genre appears the most on this chart?", "Love story"},
		{filmsCSV, "nfe.csv", "which genre appears the most with purple?", ""},
		// After the superlative it is no verb of the key.
		{filmsCSV, "nfe.csv", "which genre is the most appears?", ""},
	})
}

const rolesCSV = `Year,Title,Role,Notes
1984,No Small Affair,Mona,Film debut
1986,Runway,Lena,
1988,High Tide,Ann,TV movie
`

func TestLookupRowsNoun(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{rolesCSV, "nff.csv", "which movie was also a film debut?", "No Small Affair"},
		{rolesCSV, "nff.csv", "what picture had the role of lena?", "Runway"},
		// A word before the noun would filter; no column holds it.
		{rolesCSV, "nff.csv", "which french movie was a film debut?", ""},
		// The noun names a kind of column the table does not have.
		{rolesCSV, "nff.csv", "which stadium was a film debut?", ""},
		// Counting keeps its own rules.
		{rolesCSV, "nff.csv", "how many movies were a film debut?", "1"},
		// An event held twice: its hosts name no contests.
		{cupsCSV, "nfa.csv", "which contest was held in 1995?", ""},
	})
}

const towersCSV2 = `Name,Street,Height (m),Floors
Globe Tower,4th Street,48,8
Lumber Hall,5th Street,50,12
IDS Spire,8th Street,241,55
`

const towersCSV3 = `Tower,Street,Height (m),Floors
Globe Tower,4th Street,48,8
Lumber Hall,5th Street,50,12
IDS Spire,8th Street,241,55
`

func TestNameTheSuperlative(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{towersCSV2, "nfg.csv", "name the tallest building.", "IDS Spire"},
		{towersCSV3, "nfh.csv", "name the tallest building.", "IDS Spire"},
		{towersCSV2, "nfg.csv", "list the building with the fewest floors", "Globe Tower"},
		// An adjective before the noun would filter: no column holds it.
		{towersCSV2, "nfg.csv", "name the tallest office building.", ""},
		// A noun of a kind of column the table lacks names no row.
		{towersCSV2, "nfg.csv", "name the tallest city.", ""},
	})
}
