package builtin

import "testing"

const reignsCSV = `#,Wrestlers,Reign,Days held,Notes
1,Kuishinbo Kamen,1,758,first champion
2,Ebessan,1,56,
3,Pero,1,7,
4,Ebessan,2,92,
5,Kuishinbo Kamen,2,665,
6,Miracle Man,1,55,won a 4-way match
`

const senateCSV = `Constituency,Region,Name,Party
1,North,Ana Rossi,PS
1,North,Jaime Orpis,UDI
2,Coast,Carlos Cantero,Ind.
2,Coast,Jose Gomez,PRSD
3,South,Isabel Allende,PS
3,South,Baldo Prokurica,RN
`

const courtsCSV = `Courthouse,City,Jurisdiction
Federal Building,Clarksdale,N.D. Miss.
Federal Building,Greenville,N.D. Miss.
U.S. Court House,Hattiesburg,S.D. Miss.
U.S. Courthouse,Natchez,S.D. Miss.
Post Office,Oxford,N.D. Miss.
`

func TestCountOfAColumnNamingTheRows(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// A column whose values are mostly different names the rows: its
		// cells are counted, two rows sharing a name being two.
		{reignsCSV, "reigns.csv", "how many wrestlers do not have any notes?", "4"},
		{courtsCSV, "courts.csv", "how many courthouses were in the n.d. miss. jurisdiction?", "3"},
		{reignsCSV, "reigns.csv", "how many notes are there?", "2"},
		// "different" asks for its different values.
		{reignsCSV, "reigns.csv", "how many different wrestlers are there?", "4"},
		// A column repeating a few values counts them (a category).
		{racesCSV, "races.csv", "how many teams are there?", "4"},
		// Numbered constituencies, two senators each: a number naming
		// something counts its different values, not its cells.
		{senateCSV, "senate.csv", "what is the total number of constituencies?", "3"},
		{senateCSV, "senate.csv", "how many constituencies are there?", "3"},
	})
}

func TestYearComparisons(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{transfersCSV, "transfers.csv", "how many players transferred after 2006?", "2"},
		{transfersCSV, "transfers.csv", "how many players transferred before the year 2007?", "2"},
		// A number that is no year is not read as one.
		{transfersCSV, "transfers.csv", "how many players transferred after 20?", ""},
	})
}

func TestListedNeighbours(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{qualifyCSV, "qualify.csv", "which team ranked below italy?", "Germany"},
		{liftsCSV, "lifts.csv", "what comes after heimat?", "Talegga"},
		{liftsCSV, "lifts.csv", "what comes before flesch?", "Talegga"},
		// A noun the table has no column for is not the value's column.
		{liftsCSV, "lifts.csv", "what stadium comes after heimat?", ""},
	})
}

func TestWhichIsTheSuperlative(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// "which is the highest X": the row's name, as "which has".
		{citiesCSV, "cities.csv", "which is the highest altitude?", "Bergamo"},
		{clubsCSV, "clubs.csv", "which was the lowest points?", "River Side"},
		// Without a superlative it is no question of the rows.
		{citiesCSV, "cities.csv", "which is the altitude?", ""},
	})
}
