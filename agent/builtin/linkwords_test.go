package builtin

import "testing"

const electionsCSV = `Election,Number of votes,% of votes,Seats
1995,139982,22.16,61
1999,170757,32.11,83
2003,402310,44.67,120
2007,310150,31.40,95
2011,290001,30.02,90
2015,280400,29.50,88
2019,275000,28.75,85
`

const cupCSV = `Year,Winners,Score,Runners up
1990,Rovers,2-1,Chasetown
1991,Chasetown,1-0,Rovers
1992,United,3-0,Chasetown
1993,Chasetown,2-2,United
1994,Rovers,1-0,United
`

// Words linked to the table: "percentage" names a "%" column; two numbers
// of one column joined by "or" are either value; a verb of winning next to
// a value that two columns hold picks the winners' column.
func TestLinkWords(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{electionsCSV, "elections.csv", "which election had the highest percentage of votes?", "2003"},
		{electionsCSV, "elections.csv", "what was the percentage of votes in 1999?", "32.11"},
		{electionsCSV, "elections.csv", "which election had the highest percentage of votes - 1999 or 2007?", "1999"},
		{electionsCSV, "elections.csv", "which election had the most seats, 1995 or 2007?", "2007"},
		{electionsCSV, "elections.csv", "how many seats were won in 1995 and 1999 in total?", "144"},
		{cupCSV, "cup.csv", "what was the last year chasetown won?", "1993"},
		{cupCSV, "cup.csv", "what was the first year united won?", "1992"},
		{cupCSV, "cup.csv", "how many times did rovers win?", "2"},
		// Without the verb, Chasetown is in both columns: a choice, not a guess.
		{cupCSV, "cup.csv", "what was the last year of chasetown?", ""},
	})
}

const feesCSV = `Name,Moving from,Type,Transfer window,Transfer fee
Ann Lee,Dundee,Transfer,Summer,Free
Bo Park,Porto,Loan,Summer,Free
Cy Ortiz,Bologna,Transfer,Winter,£0.25m
Di Ray,Dundee,Transfer,Winter,Free
Ed Moss,Ajax,Loan,Summer,—
`

// A one-word value that starts a column's whole name is read as the
// column: "a free transfer fee" is Transfer fee = Free, not also Type =
// Transfer.
func TestLinkColumnOverValue(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{feesCSV, "fees.csv", "how many players had a free transfer fee?", "3"},
		{feesCSV, "fees.csv", "how many players came on a transfer in the summer transfer window?", "1"},
		{feesCSV, "fees.csv", "how many players had a loan?", "2"},
	})
}
