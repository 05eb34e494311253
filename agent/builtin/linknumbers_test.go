package builtin

import "testing"

const censusYearsCSV = `Town,Region,Population 2016,Population 2011,Population 2006,Area (km2)
Aldmoor,North,52100,50300,48800,12.5
Brixley,North,31900,33400,34100,8.1
Calder Vale,South,77200,70100,65050,20.4
Dunmore,South,12050,11800,11900,3.3
`

const metroYearsCSV = `Metro,State,CMA 2010 residents,Projected 2030 residents,Growth 2010–2030
Lakeport,LP,4200000,4900000,700000
Rivermouth,RV,3100000,3300000,200000
Stonebridge,ST,900000,1150000,250000
`

// A number of the question in the name of exactly one of the columns a
// word may mean picks that column, and is then no filter: "population in
// 2011", "the 2010 residents". Without such a number, or with one in no
// name or in two, the word stays a choice to ask about.
func TestColumnByNumber(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{censusYearsCSV, "census-bynum.csv", "what was the population of brixley in 2011?", "33400"},
		{censusYearsCSV, "census-bynum.csv", "what was the 2006 population of calder vale?", "65050"},
		{censusYearsCSV, "census-bynum.csv", "what was the average population in 2016?", "43312.5"},
		{metroYearsCSV, "metro-bynum.csv", "what were the 2010 residents of rivermouth?", "3100000"},
		{metroYearsCSV, "metro-bynum.csv", "what were the residents of stonebridge in 2030?", "1150000"},
		// No number, or one no candidate's name holds: still a choice.
		{censusYearsCSV, "census-bynum.csv", "what was the population of brixley?", ""},
		{censusYearsCSV, "census-bynum.csv", "what was the population of brixley in 2001?", ""},
		// Two numbers picking two columns: no one column.
		{censusYearsCSV, "census-bynum.csv", "what was the population of brixley in 2011 and 2016?", ""},
		{metroYearsCSV, "metro-bynum.csv", "what were the residents of rivermouth?", ""},
	})
}

const weekGamesCSV = `Week,Date,Opponent,Result,Crowd
1,Sep 7,Hawks,W 21–14,61200
2,Sep 14,at Bears,L 10–17,58050
3,Sep 21,Lions,W 30–3,60110
4,Sep 28,at Rams,W 13–12,55900
12,Nov 23,Bears,L 7–20,62480
`

const tvSeasonNumbersCSV = `Season,Episodes,Premiere,Viewers (millions)
1,10,2011,8.1
2,12,2012,9.4
3,12,2013,10.2
6,10,2016,7.7
`

const roadNumbersCSV = `Highway,Type,Length (km),Opened
9,A,120,1961
12,B,45,1975
40,A,310,1958
`

// "week 12", "season 6", "highway 40", "type b": a column's name followed
// by a number or code the column holds is that value of the column, even
// when another column holds the number too.
func TestColumnWordValue(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{weekGamesCSV, "games-colval.csv", "who was the opponent in week 3?", "Lions"},
		{weekGamesCSV, "games-colval.csv", "what was the crowd in week 12?", "62480"},
		{tvSeasonNumbersCSV, "seasons-colval.csv", "how many episodes were in season 6?", "10"},
		{tvSeasonNumbersCSV, "seasons-colval.csv", "when did season 2 premiere?", "2012"},
		{roadNumbersCSV, "routes-colval.csv", "what is the length of highway 12?", "45"},
		{roadNumbersCSV, "routes-colval.csv", "when was highway 40 opened?", "1958"},
		// A number no row of the named column holds is no value.
		{weekGamesCSV, "games-colval.csv", "who was the opponent in week 7?", ""},
		// "between week 1 and week 4" is a range, not the two weeks.
		{weekGamesCSV, "games-colval.csv", "what was the total crowd between week 1 and week 4?", ""},
	})
}

// The difference of one measure between two named rows: "difference in X
// from A and B", "how much larger was the X of A than (the X of) B". A
// comparative with no measure named says larger in what not.
func TestDiffNamedRows(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{weekGamesCSV, "games-colval.csv", "what was the difference in crowd from week 1 and week 12?", "1280"},
		{weekGamesCSV, "games-colval.csv", "what is the difference in crowd between week 2 and week 3?", "2060"},
		{metroYearsCSV, "metro-bynum.csv", "how much larger was the 2010 residents of lakeport than the 2010 residents of rivermouth?", "1100000"},
		{censusYearsCSV, "census-bynum.csv", "how much higher was the 2016 population of aldmoor than that of brixley?", "20200"},
		{censusYearsCSV, "census-bynum.csv", "how much larger was the area of calder vale than dunmore?", "17.1"},
		{censusYearsCSV, "census-bynum.csv", "how much larger was calder vale than dunmore?", ""},
		{censusYearsCSV, "census-bynum.csv", "how much larger was the population of aldmoor than brixley?", ""},
	})
}
