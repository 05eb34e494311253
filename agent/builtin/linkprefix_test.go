package builtin

import "testing"

const districtsCSV = `District,Incumbent,Party,First elected
Virginia 1,Ann Lee,Jacksonian,1821
Virginia 2,Bo Park,Adams Republican,1815
Virginia 3,Cy Ortiz,Jacksonian,1823
Ohio 1,Di Ray,Adams Republican,1821
Ohio 2,Ed Moss,Jacksonian,1817
Ohio River 3,Flo Dean,Adams Whig,1825
`

const venuesCSV = `Opera,Premiere,Venue
Salome,1905,"Dresden, Hoftheater"
Elektra,1909,"Dresden, Hoftheater"
Ariadne,1912,"Stuttgart, Hoftheater"
Arabella,1933,"Dresden, Staatsoper"
Daphne,1938,Dresden Staatsoper
`

// Words that begin values of one column stand for those values:
// "virginia" for "Virginia 1" … "Virginia 3".
func TestLinkPrefix(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{districtsCSV, "districts.csv", "how many districts are there in virginia?", "3"},
		{districtsCSV, "districts.csv", "how many districts are there in ohio?", "3"},
		{districtsCSV, "districts.csv", "how many districts are there in ohio river?", "1"},
		{districtsCSV, "districts.csv", "how many incumbents were from the adams party?", "3"},
		{venuesCSV, "venues.csv", "how many operas premiered at the dresden?", "4"},
		{venuesCSV, "venues.csv", "which opera premiered first in stuttgart?", "Ariadne"},
		// "hoftheater" ends values, never begins one: not a prefix; in a
		// column of lists ("City, Venue") it is an item of three cells.
		{venuesCSV, "venues.csv", "how many operas premiered at the hoftheater?", "3"},
	})
}

const swissLakesCSV = `Name,Area in km²,Elevation m,max. depth in meter
Lake Geneva,580.03,372.0,310
Lake Constance,536.00,395.6,252
Lago Maggiore,212.17,193.5,372
Lake Zug,38.3,413.6,198
Sihlsee,10.8,889,23
`

const towersCSV = `Name,Height m,Elevation m,Floors
North Tower,310,12,80
Harbour Point,280,3,70
Hill Spire,150,240,40
`

// A superlative that names its measure ("the deepest lake") ranks the one
// column of that measure; "lake", the noun of the rows, is no prefix of
// "Lake Geneva" there (it follows no preposition).
func TestShapeDimensionSuperlative(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{swissLakesCSV, "swisslakes.csv", "what is the deepest lake?", "Lago Maggiore"},
		{swissLakesCSV, "swisslakes.csv", "what is the shallowest lake?", "Sihlsee"},
		{towersCSV, "towers.csv", "what is the heaviest tower?", ""},
		// Height and elevation both measure "tallest": no guess.
		{towersCSV, "towers.csv", "what is the tallest tower?", ""},
	})
}

const candidatesCSV = `Candidate,Party,Votes
John Smith,Labour,12345
John Doe,Conservative,10200
Mary Jones,Liberal,3100
Paul Brown,Green,1700
`

// A prefix of several values of a column naming one row each ("john" of
// "John Smith" and "John Doe") names no one row: read only as a place
// ("in virginia"), never after "for" or "by".
func TestLinkPrefixNamesOneRowEach(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{candidatesCSV, "candidates.csv", "what was the total vote for john?", ""},
		{candidatesCSV, "candidates.csv", "how many votes were cast for john?", ""},
		{candidatesCSV, "candidates.csv", "what was the total vote for mary?", "3100"},
		{districtsCSV, "districts.csv", "how many districts are there in virginia?", "3"},
	})
}
