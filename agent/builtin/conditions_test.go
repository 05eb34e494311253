package builtin

import "testing"

// Conditions every shape reads: a list of values of one column, a column
// said to be empty, a value negated through its column's name, and a
// result word that no column was named for.

const rosterCSV = `No.,Name,Position,Weight,Signed from,Notes
1,Aaron Johnson,G,185,The Academy,
3,Anthony Criswell,F,230,Rampla,Captain
4,Jamarr Sanders,G,210,The Academy,
5,Robert Williams,G,210,Cerro,
10,Karl Moton,F,195,The Academy,Vice-captain
`

const awardsCSV = `Year,Actor,Award,Result
1998,Hank Azaria,Emmy,Won
2001,Hank Azaria,Emmy,Won
2009,Hank Azaria,Emmy,Nominated
2009,Dan Castellaneta,Emmy,Won
2010,Dan Castellaneta,Emmy,Nominated
`

const qualifyCSV = `Rank,Team,Time,Qualification
1,France,4:09.570,q
2,Italy,4:09.695,q
3,Germany,4:15.140,
4,Chile,4:25.960,—
`

func TestConditionValueLists(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// Two values of one column joined by "and" read the rows of both.
		{rosterCSV, "roster.csv", "what is the average weight of jamarr sanders and robert williams?", "210"},
		{rosterCSV, "roster.csv", "what is the total weight of aaron johnson and karl moton?", "380"},
		{clubsCSV, "clubs.csv", "what is the total points of red lions and green park?", "163"},
		{racesCSV, "races.csv", "how many races were won by mark skaife or john bowe?", "5"},
	})
}

func TestConditionEmpty(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{qualifyCSV, "qualify.csv", "how many teams have no qualification?", "2"},
		{qualifyCSV, "qualify.csv", "how many teams are without qualification?", "2"},
		{rosterCSV, "roster.csv", "how many players do not have any notes?", "3"},
		{albumsCSV, "albums.csv", "how many albums have no chart?", "4"},
		// "not" straight before a column is no emptiness.
		{rosterCSV, "roster.csv", "how many players not notes?", ""},
	})
}

func TestConditionNegatedThroughColumn(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{rosterCSV, "roster.csv", "how many players were not signed from the academy?", "2"},
		{rosterCSV, "roster.csv", "how many players were signed from the academy?", "3"},
	})
}

func TestCountOfResultWordsDeclined(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// "wins" is a condition on Result that no column was named for.
		{awardsCSV, "awards.csv", "what is the total number of wins for hank azaria?", ""},
		{awardsCSV, "awards.csv", "how many losses did hank azaria have?", ""},
		{awardsCSV, "awards.csv", "how many rows are for hank azaria?", "3"},
	})
}
