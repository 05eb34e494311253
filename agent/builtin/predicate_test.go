package builtin

import "testing"

const nascarCSV = `Year,Date,Driver,Team,Laps,Laps led
2010,March 21,Jimmie Johnson,Hendrick Motorsports,267,20
2011,March 20,Kevin Harvick,Childress Racing,250,35
2012,March 25,Tony Stewart,Stewart-Haas Racing,129,72
2013,March 24,Kyle Busch,Joe Gibbs Racing,258,112
`

const medalistsCSV = `Athlete,Country,Gold,Silver,Bronze
Evgeni Plushenko,Russia,1,2,0
Alexei Yagudin,Russia,1,0,0
Irina Slutskaya,Russia,0,1,1
`

// "how many X did V <verb>": the verb after the named row says what it
// did to have its number and adds no condition; a verb of winning or
// losing, or a negation, still declines.
func TestHowManyDidARowDo(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{nascarCSV, "cup_races.csv", "how many laps did tony stewart race in 2012?", "129"},
		{nascarCSV, "cup_races.csv", "how many laps did kyle busch complete", "258"},
		{nascarCSV, "cup_races.csv", "how many laps led did kyle busch have", "112"},
		{medalistsCSV, "medalists.csv", "how many silver medals did evgeni plushenko get?", "2"},
		{medalistsCSV, "medalists.csv", "how many silver medals did evgeni plushenko collect", "2"},
		// A verb that changes the question is not skipped.
		{medalistsCSV, "medalists.csv", "how many silver medals did evgeni plushenko lose", ""},
		{medalistsCSV, "medalists.csv", "how many silver medals did evgeni plushenko not win", ""},
		// A word that is no verb of the row stays unplaced.
		{nascarCSV, "cup_races.csv", "how many laps did tony stewart race at daytona", ""},
	})
}
