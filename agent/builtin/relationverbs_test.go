package builtin

import "testing"

const transfersCSV = `Rank,Player,From,To,Year
1,Miralem Sulejmani,Heerenveen,Ajax,2008
2,Mateja Kezman,Partizan,PSV,2000
3,Klaas-Jan Huntelaar,Heerenveen,Ajax,2006
4,Luis Suarez,Groningen,Ajax,2007
`

const songsCSV = `Title,Year,Status
Alpha,2001,Released
Beta,2002,Unreleased
Gamma,2003,Released
`

const envoysCSV = `Representative,Appointed by
Solon Borland,Franklin Pierce
Beverly L. Clarke,James Buchanan
Lisa Kubiske,Barack Obama
`

func TestRelationVerbs(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{transfersCSV, "transfers.csv", "how many players transferred to ajax?", "3"},
		{envoysCSV, "envoys.csv", "who was the last representative picked?", "Lisa Kubiske"},
		{racesCSV, "races.csv", "how many races were held at sandown?", "1"},
		{clubsCSV, "clubs.csv", "what is the number of points red lions made?", "88"},
		// A value spelled as the verb is still the value.
		{songsCSV, "songs.csv", "how many songs were released?", "2"},
		// Verbs that set a condition are not among them.
		{transfersCSV, "transfers.csv", "how many players retired at ajax?", ""},
	})
}

const qldCSV = `Team,Location,First year
Aspley Broncos,Brisbane,2007
Brothers-Valleys,Brisbane,2004
North Queensland Young Guns,Townsville,2002
Past Brothers,Brisbane,1996
Townsville Stingers,Townsville,1998
`

func TestCompareCountsOfRowsNamedByAColumn(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{qldCSV, "qld.csv", "are more teams from brisbane or townsville?", "Brisbane"},
		{transfersCSV, "transfers.csv", "are more players from heerenveen or groningen?", "Heerenveen"},
		{racesCSV, "races.csv", "who won more races, mark skaife or john bowe?", "Mark Skaife"},
	})
}

const liftsCSV = `Name,type,capacity,construction year
Heimat,chairlift,1400,2000
Talegga,chairlift,2200,2010
Flesch,chairlift,2400,1993
Laxeralp 1,surface lift,1100,1981
`

const tourCSV = `Outcome,Date,Tournament,Surface
Winner,"April 18, 2004","Jackson, United States",Clay
Runner-up,"September 26, 2004","Albuquerque, United States",Hard
Winner,"October 18, 2008","Toronto, Canada",Hard
Runner-up,"May 18, 2013","Saint-Gaudens, France",Clay
`

func TestOrderOfRowsNamedByAColumn(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// A year column after the order word: by its values.
		{liftsCSV, "lifts.csv", "what name was in the last construction year?", "Talegga"},
		{liftsCSV, "lifts.csv", "what type was in the first construction year?", "surface lift"},
		// Another column after it: in the table's order.
		{tourCSV, "tour.csv", "what was the date of the last tournament?", "May 18, 2013"},
		{tourCSV, "tour.csv", "what was the surface of the first tournament?", "Clay"},
		// "when": the date of that row.
		{tourCSV, "tour.csv", "when was the last tournament?", "May 18, 2013"},
		{tourCSV, "tour.csv", "when was the first tournament played?", "April 18, 2004"},
		// The column asked for is not the one ordered by.
		{tourCSV, "tour.csv", "what was the last date of the tournament?", ""},
	})
}
