package builtin

import "testing"

const hoopsCSV = `#,Name,Position,Class,Hometown
1,Al Reed,G,Sr.,Chicago
3,Bo Diaz,F,Fr.,Tulsa
5,Cy Hart,C,Jr.,Austin
12,Dee Lowe,F,So.,Reno
21,Ed Vance,G,Jr.,Boise
33,Fin Shaw,F,Sr.,Omaha
`

const squadCSV = `No.,Pos.,Player,Club
1,GK,Ann Berg,Ajax
4,DF,Bea Holm,PSV
8,MF,Cid Nord,Ajax
9,FW,Dan Lund,AZ
10,FW,Eve Dahl,Ajax
23,GK,Fay Moe,AZ
`

const gradesCSV = `Name,Grade,Score
Al,C,71
Bo,B,84
Cy,C,75
`

// Position words read as the codes a position column holds; "this band",
// "on the team" name the table's own subject.
func TestLinkPositionsAndSubject(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{hoopsCSV, "hoops.csv", "how many forwards are on the team?", "3"},
		{hoopsCSV, "hoops.csv", "how many total guards are there?", "2"},
		{hoopsCSV, "hoops.csv", "what is the name of the center?", "Cy Hart"},
		{squadCSV, "squad.csv", "how many goalkeepers does this team have?", "2"},
		{squadCSV, "squad.csv", "how many forwards play for ajax?", "1"},
		{albumsCSV, "albums.csv", "how many albums has this singer released?", "6"},
		// "C" of a grade is no position: "centers" stays unplaced.
		{gradesCSV, "grades.csv", "what is the name of the center?", ""},
		// A subject noun not after "this" or ending the question is read as a word.
		{albumsCSV, "albums.csv", "how many albums did the band release on ode?", ""},
	})
}

const bowlsCSV = `Year,Winner,Winning team,Runner-up
2001,Ann Lee,Reds,Bo Park
2002,Bo Park,Blues,Ann Lee
2003,Ann Lee,Reds,Cy Ortiz
`

// "who won", "which driver won" name the table's one column of winners.
func TestLinkWinners(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{racesCSV, "races.csv", "who won the most races?", "Mark Skaife"},
		{racesCSV, "races.csv", "which driver won the most races?", "Mark Skaife"},
		{racesCSV, "races.csv", "who won at sandown?", "John Bowe"},
		{racesCSV, "races.csv", "who won at lakeside?", "Tony Longhurst"},
		// Two columns of winners: which one is not guessed.
		{bowlsCSV, "bowls.csv", "who won the most titles?", ""},
		{bowlsCSV, "bowls.csv", "who won in 2002?", ""},
	})
}

const combosCSV = `No.,Player,Position,Height,College
3,Allen,G,6-1,Duke
5,Baker,F,6-8,UCLA
11,Cole,G-F,6-6,Kansas
21,Dunn,F-C,6-10,Duke
33,Ely,C,7-0,Ohio State
7,Fox,F,6-7,UCLA
`

const nbaCodesCSV = `Player,Pos,Age,Team
Curry,PG,35,GSW
Thompson,SG,33,GSW
Green,PF,33,GSW
Looney,C,27,GSW
Wiggins,SF,28,GSW
Paul,G/F,38,GSW
`

const oddCodesCSV = `Player,Position,Age
Ames,G,30
Bell,XG,28
Cruz,F,25
`

// A position cell may hold several codes ("G-F", "F/C") and finer codes
// ("PG", "SF"); a code the list does not know leaves the word unplaced.
func TestLinkPositionCodeParts(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{combosCSV, "combos.csv", "how many forwards are on the team?", "4"},
		{combosCSV, "combos.csv", "how many guards are on the team?", "2"},
		{combosCSV, "combos.csv", "how many centers are on the team?", "2"},
		{nbaCodesCSV, "nbacodes.csv", "how many guards are there?", "3"},
		{nbaCodesCSV, "nbacodes.csv", "how many forwards are there?", "3"},
		{nbaCodesCSV, "nbacodes.csv", "how many centers are there?", "1"},
		// "XG" may be a guard of some kind: no count is guessed.
		{oddCodesCSV, "oddcodes.csv", "how many guards are there?", ""},
	})
}
