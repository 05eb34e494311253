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
