package builtin

import (
	"strings"
	"testing"
)

// Readings added from WikiTableQuestions phrasings (training data): the rest
// of a column's name, a verb after a column, a value's column named after
// it, a row's number against a number, bounds joined by "but".

const leagueCSV = `Place,Team,Played,Won,Goals Scored,Goals Conceded,Points
1.,C.D. FAS,18,10,27,13,36
2.,C.D. Aguila,18,9,38,26,31
3.,Firpo,18,7,25,18,28
4.,San Salvador F.C.,18,8,31,27,28
`

const raceCarsCSV = `Pos,Team,Chassis,Engine,Laps,Notes
1,Shelby American,Ford GT40 Mk.IV,Ford 7.0L V8,388,
2,Ferrari SEFAC,Ferrari 330 P4,Ferrari 4.0L V12,383,Title defence
3,Holman Moody,Ford GT40 Mk.IIB,Ford 7.0L V8,271,Title contender
4,Porsche System,Porsche 907,Porsche 2.2L F8,358,
5,Chaparral Cars,Chaparral 2F,Chevrolet 7.0L V8,225,
6,Ford France,Ford GT40 Mk.IV,Ford 4.7L V8,219,
`

const doublesFinalsCSV = `Outcome,Year,Tournament,Opponent
Winner,2010,Estoril Open,Cuevas
Runner-up,2011,Estoril Open,Butorac
Runner-up,2011,Kremlin Cup,Cermak
Winner,2012,Copa Claro,Mertinak
Runner-up,2013,Rio Open,Cabal
`

const legsCSV = `Date,Round,Opponents,Attendance
19 September 1984,Round 1 First leg,Raba ETO,"33,119"
3 October 1984,Round 1 Second leg,Raba ETO,"26,000"
6 March 1985,Quarter-final First leg,Videoton,"35,432"
20 March 1985,Quarter-final Second leg,Videoton,"25,000"
`

const countiesCSV = `Rank,County,Median household income,Population,Number of households
1,McCone,"$42,998","1,734",774
2,Fallon,"$52,529","2,890","1,233"
3,Phillips,"$36,453","4,253","1,819"
`

const booksCSV = `Year,Author,Title
1990,Ann Fine,Bill's New Frock
1991,Diana Hendry,Harvey Angell
1992,Anne Fine,The Man
1993,Jacqueline Wilson,The Suitcase Kid
`

const filmsLangCSV = `Film,Year,Language
Miss Christina,2013,Romanian
La fin du silence,2011,French
Fata din Transilvania,2011,Romanian
The Way,2010,English
`

func TestColumnChosenByTheRestOfItsName(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// "goals" starts two names; "conceded" elsewhere picks one.
		{leagueCSV, "league.csv", "which team conceded the least goals?", "C.D. FAS"},
		{leagueCSV, "league.csv", "which team scored the most goals?", "C.D. Aguila"},
		// Nothing picks one: the choice is asked for.
		{leagueCSV, "league.csv", "which team had the least goals?", ""},
	})
}

func TestVerbAfterAColumnSaysWhoseNumber(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{leagueCSV, "league.csv", "what is the number of points scored by firpo?", "28"},
		{leagueCSV, "league.csv", "how many points were earned by firpo?", "28"},
		// After no column, "scored" is no verb of having.
		{leagueCSV, "league.csv", "how many teams scored?", ""},
	})
}

func TestValueStartNamedWithItsColumn(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// "ford" starts Chassis and Engine values; "engine" says which.
		{raceCarsCSV, "race_cars.csv", "how many ford engines were there?", "3"},
		{raceCarsCSV, "race_cars.csv", "how many teams had a ford chassis?", "3"},
		// Neither named: not read.
		{raceCarsCSV, "race_cars.csv", "how many teams had ford?", ""},
		// A column of remarks names nothing by its first words.
		{raceCarsCSV, "race_cars.csv", "which team was the last to hold the title?", ""},
	})
}

const songTitlesCSV = `Song,Artist,Year
Love Me Do,Beatles,1962
Love Story,Taylor Swift,2008
Yesterday,Beatles,1965
Crazy,Gnarls Barkley,2006
`

const nominationsCSV = `Year,Award,Nominated work,Result
2010,Emmy,Breaking Bad,Won
2011,Emmy,Breaking Bad,Nominated
2012,Golden Globe,Breaking Bad,Nominated
2013,SAG,Breaking Bad,Won
`

const teamCitiesCSV = `Team Name,Team City,Wins
Celtics,Boston,50
Bruins,Boston,40
Knicks,New York,30
`

const jerseysCSV = `#,Player,Position
23,Chris Williams,Guard
7,Dan Moore,Forward
`

func TestReviewedReadingsNeverGuess(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// Titles each their own row: "love songs" is no title's start.
		{songTitlesCSV, "song_titles.csv", "how many love songs are there?", ""},
		// "teams" of Team Name and Team City names the rows.
		{teamCitiesCSV, "team_cities.csv", "how many teams have the city boston?", "2"},
		// A name ending in s is no plural to count.
		{jerseysCSV, "jerseys.csv", "what is the number of chris williams?", ""},
	})
	// A rank is better when smaller: never answered Yes or No as a size.
	f := ingest(t, "league.csv", leagueCSV)
	if text := ask(t, f, "was the place of firpo higher than 5?").text(); strings.Contains(text, "**No**") || strings.Contains(text, "**Yes**") {
		t.Errorf("a place compared as a size:\n%s", text)
	}
	// "received" says what happened: never every row of the value.
	g := ingest(t, "bb.csv", nominationsCSV)
	if text := ask(t, g, "how many nominations has breaking bad received?").text(); strings.Contains(text, "**4**") {
		t.Errorf("every row counted as received:\n%s", text)
	}
}

func TestCountOfAValueInThePlural(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{doublesFinalsCSV, "doubles_finals.csv", "what is the total number of runner-ups listed on the chart?", "3"},
		{doublesFinalsCSV, "doubles_finals.csv", "how many runner-ups are there?", "3"},
		{doublesFinalsCSV, "doubles_finals.csv", "what is the number of winners?", "2"},
	})
}

const goalDiffCSV = `Team,Goal difference
Boston,-3
Denver,4
`

func TestRowNumberAgainstANumber(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{legsCSV, "legs.csv", "was the attendance for the quarter final second leg more or less than 30,000?", "less"},
		{legsCSV, "legs.csv", "was the attendance for the round 1 first leg more or less than 30,000?", "more"},
		{legsCSV, "legs.csv", "was the attendance for the quarter final first leg above 30,000?", "Yes"},
		{legsCSV, "legs.csv", "was the attendance for the round 1 second leg more than 30,000?", "No"},
		{goalDiffCSV, "goal_diff.csv", "was the goal difference of boston more than -5?", "Yes"},
		// A name of two rows: no one number to compare.
		{legsCSV, "legs.csv", "was the attendance against videoton more or less than 30,000?", ""},
	})
}

func TestCompareBetweenTwoNamed(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{countiesCSV, "counties.csv", "who has more households between fallon and phillips?", "Phillips"},
		{countiesCSV, "counties.csv", "which has more population between mccone and fallon?", "Fallon"},
	})
}

func TestBoundsJoinedByBut(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{booksCSV, "books.csv", "which title was after the year 1990 but before the year 1992?", "Harvey Angell"},
		// "all but": except, never a second bound.
		{booksCSV, "books.csv", "which titles were all but before 1992?", ""},
	})
}

func TestMoreVerbsOfHowARowCame(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{filmsLangCSV, "films_lang.csv", "how many films were filmed in romanian?", "2"},
		{raceCarsCSV, "race_cars.csv", "which team used a porsche engine?", "Porsche System"},
	})
}

const stageCSV = `,Cyclist,Team,Points
1,John Degenkolb (GER),Argos-Shimano,80
2,Andre Greipel (GER),Lotto-Belisol,60
3,Jose Rojas (ESP),Movistar,50
4,Elia Viviani (ITA),Cannondale,40
`

const lakeAreasCSV = `Name,Area in km²,Depth
Lake Geneva,580.03,310
Albigna Lake,1.13,108
Oeschinen Lake,1.11,56
`

const teamSeasonsCSV = `Team,Season,Wins
Boston,1998,50
Denver,1999,40
Boston,2000,45
`

const gamesYearsCSV = `Year,Title,System
1984,Ghostbusters,"Atari 800, Game Boy"
1989,Ghostbusters II,NES
1993,The Real Ghostbusters,Game Boy
1995,Extreme Ghostbusters,Arcade
`

func TestWhoOfAColumnOfPeople(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// "Cyclist" names people: "who" asks for it.
		{stageCSV, "stage.csv", "who finished before elia viviani?", "Jose Rojas (ESP)"},
		{stageCSV, "stage.csv", "who came after john degenkolb?", "Andre Greipel (GER)"},
	})
}

func TestMoreWordsOfAColumnsName(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{lakeAreasCSV, "lake_areas.csv", "which lake is smaller in area km²? albigna lake or oeschinen lake?", "Oeschinen Lake"},
	})
}

func TestPreviousToIsBefore(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// "the year before 1993": the nearest year of the data before it.
		{gamesYearsCSV, "games_years.csv", "what title was made in the year before 1993?", "Ghostbusters II"},
		{gamesYearsCSV, "games_years.csv", "what title came the year after 1989?", "The Real Ghostbusters"},
		// The other conditions hold in the nearest year too.
		{teamSeasonsCSV, "team_seasons.csv", "how many wins did boston have the season before 2000?", "50"},
		{gamesYearsCSV, "games_years.csv", "what title was made in the year previous to 1993?", "Ghostbusters II"},
		{gamesYearsCSV, "games_years.csv", "how many titles were made prior to 1990?", "2"},
		// "the game" is what is asked, not a system starting "Game".
		{gamesYearsCSV, "games_years.csv", "what was the game made in the year previous to 1995?", ""},
	})
}

const elevationsCSV = `Place,Elevation
Dead Sea,-430 m
Death Valley,−86 m
Denver,1609 m
`

const roundsCSV = `Player,Score,Margin
Ann,-15,4 strokes
Bea,-13,Playoff
Cat,-16,1 stroke
Dee,5,2 strokes
`

func TestNegativeNumbersInQuestions(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// The sign is read: -14, never 14.
		{roundsCSV, "rounds.csv", "how many scores were less than -14?", "2"},
		{roundsCSV, "rounds.csv", "how many players had a score below -14?", "2"},
		{roundsCSV, "rounds.csv", "how many players had a score above -14?", "2"},
		// A range's dash is no sign.
		{roundsCSV, "rounds.csv", "how many scores were less than 1996-97?", ""},
		// With a unit glued on, and the cells' own signs.
		{elevationsCSV, "elevations.csv", "which place has an elevation below -100m?", "Dead Sea"},
		{elevationsCSV, "elevations.csv", "which place has the lowest elevation?", "Dead Sea"},
	})
}

func TestAmountsTheTableDoesNotHold(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// No goals column: the rows are not goals.
		{roundsCSV, "rounds.csv", "how many goals are there?", ""},
		{roundsCSV, "rounds.csv", "how many points are there?", ""},
		{roundsCSV, "rounds.csv", "how many players are there?", "4"},
	})
}

const typesetScoresCSV = `No.,Date,Tournament,Winning score,Margin of victory
1,20 Jan 2008,Abu Dhabi Golf Championship,−15 (66-65-68-74=273),4 strokes
2,22 Jun 2008,BMW International Open,−15 (68-63-67-75=273),Playoff
3,5 Jul 2009,Open de France,−13 (62-72-69-68=271),Playoff
4,18 Apr 2010,Ballantine's Championship,−11 (69-66-70-72=277),1 stroke
`

func TestTypesetMinusSigns(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{typesetScoresCSV, "typeset_scores.csv", "how many winning scores were less than -14?", "2"},
		{typesetScoresCSV, "typeset_scores.csv", "which tournament had the highest winning score?", "Ballantine's Championship"},
	})
}

const submarinesCSV = `Name,Nationality,Launched
Monagas,Venezuela,1950
Tiburon,Spain,1951
Unnamed,Spain,1952
`

func TestNamedWhat(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{submarinesCSV, "subs.csv", "the only submarine from venezuela was named what?", "Monagas"},
		// "named" alone says what happened to the rows.
		{submarinesCSV, "subs.csv", "how many submarines were named?", ""},
	})
}
