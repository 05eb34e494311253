package builtin

import "testing"

const seasonGamesCSV = `Week,Date,Opponent,Final score,Team record,Attendance
1,"Saturday, April 14",at Rhein Fire,W 15–3,1–0,"30,355"
2,"Sunday, April 22",Hamburg Sea Devils,L 7–16,1–1,"30,657"
3,"Saturday, April 28",Amsterdam Admirals,L 10–14,1–2,"11,942"
4,"Saturday, May 5",at Cologne Centurions,W 21–20,2–2,"9,012"
5,"Saturday, May 12",Berlin Thunder,T 7–7,2–2–1,"12,400"
`

const careerGoalsCSV = `Goal,Date,Opponent,Score,Result
1,2009-06-06,Malta,1–0,W 2–0
2,2010-03-03,Hungary,1–1,L 1–2
3,2010-03-03,Hungary,1–2,L 1–2
4,2010-06-12,Malta,2–1,W 3–1
`

// A table of games: its rows are games, a result's first letter is the
// game's outcome, and a figure about the team ("Team record") is not the
// team.
func TestGamesAndTheirOutcomes(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{seasonGamesCSV, "season.csv", "how many games were played?", "5"},
		{seasonGamesCSV, "season.csv", "how many games had an attendance over 20,000?", "2"},
		{seasonGamesCSV, "season.csv", "how many games did they win?", "2"},
		{seasonGamesCSV, "season.csv", "how many losses were there?", "2"},
		{seasonGamesCSV, "season.csv", "how many ties?", "1"},
		{seasonGamesCSV, "season.csv", "what was the date of the first loss of the season?", "Sunday, April 22"},
		{seasonGamesCSV, "season.csv", "what was the attendance of the last win?", "9,012"},
		// The opponent's wins are the table's losses: not read.
		{seasonGamesCSV, "season.csv", "how many games did the hamburg sea devils win?", ""},
		// "teams" is not the Team record column.
		{seasonGamesCSV, "season.csv", "which teams did they lose to?", ""},
		// One row a goal: "games" is not its rows.
		{careerGoalsCSV, "career_goals.csv", "how many games were played?", ""},
	})
}

const homeAwayCSV = `Week,Opponent,Final score,Team record
1,at Rhein Fire,W 15–3,1–0
2,Hamburg Sea Devils,L 7–16,1–1
3,Amsterdam Admirals,L 10–14,1–2
4,at Frankfurt Galaxy,W 21–20,2–2
5,Berlin Thunder,W 17–7,3–2
6,Frankfurt Galaxy,L 3–9,3–3
7,Rhein Fire,W 14–10,4–3
`

// "who did they play after V": the opponent listed next to V's one game;
// a team played home and away ("at Frankfurt Galaxy") is two games, and
// the question says not which. "this team" is not the Team record.
func TestWhoCameNextToAGame(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{homeAwayCSV, "home_away.csv", "who did this team play after the hamburg sea devils?", "Amsterdam Admirals"},
		{homeAwayCSV, "home_away.csv", "who did they play before the berlin thunder?", "at Frankfurt Galaxy"},
		{homeAwayCSV, "home_away.csv", "who did they play after the frankfurt galaxy?", ""},
	})
}
