package duck

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Numbers written inside text cells, as small real-world tables write
// them: lengths of time (track lists, race results, eclipses), numbers
// with a unit (heights, page counts, screen sizes, ordinals), numbers
// beside placeholders ("—", "DNF") and footnote marks. Each table is read
// by the profile as the one reading of its text, and every value as the
// query of that reading computes it; a value the reading cannot read is
// NULL, never a number made up.
func TestTextReadings(t *testing.T) {
	e := newTestEngine(t)
	for _, tc := range []struct {
		name, csv string
		col       string
		want      Reading // Number implied by Unit and Duration
		values    []any   // the column's values read, in row order (nil: not read)
	}{
		{"track lengths", "#,Title,Time\n1,Savior,6:44\n2,Whatcha,4:25\n3,Melodies,4:34\n4,Jesus,1:38\n",
			"Time", Reading{Number: true, Duration: true}, []any{404.0, 265.0, 274.0, 98.0}},
		{"race times with DNF and plain seconds", "Athlete,Time\nPopov,1:10.73\nShalamanov,55.14\nDimitrachkov,DNF\nPopangelov,57.58\n",
			"Time", Reading{Number: true, Duration: true}, []any{70.73, 55.14, nil, 57.58}},
		{"records: seconds beside hours", "Event,Performance\n100 m,9.69\nMarathon,2:03:59\n50 km race walk,3:34:14\n",
			"Performance", Reading{Number: true, Duration: true}, []any{9.69, 7439.0, 12854.0}},
		{"elevations in feet with an unmeasured peak", "Peak,Elevation\nSaka,\"3,465 ft\"\nRang,Unmeasured\nDumlong,\"3,314 ft\"\n",
			"Elevation", Reading{Number: true, Unit: "ft"}, []any{3465.0, nil, 3314.0}},
		{"durations with units", "Saros,Duration\n1,3m 37s\n2,1h 02m\n3,45s\n4,2 min 30 sec\n",
			"Duration", Reading{Number: true, Duration: true}, []any{217.0, 3720.0, 45.0, 150.0}},
		{"heights in feet and metres", "Peak,Elevation\nWhitney,\"14,505 ft 4421 m\"\nKeith,\"13,977 ft 4260 m\"\nRitter,\"13,149 ft 4009 m\"\n",
			"Elevation", Reading{Number: true, Unit: "ft"}, []any{14505.0, 13977.0, 13149.0}},
		{"a streak in games", "Streak,Length\nwins,5 games\nlosses,1 game\ndraws,12 games\n",
			"Length", Reading{Number: true, Unit: "game"}, []any{5.0, 1.0, 12.0}},
		{"screen sizes with more after the unit", "Model,Screen\nS01,2.7 in 230 kpixel\nS800c,3.5 in 819 kpixel\nS30,3 in 460 kpixel\n",
			"Screen", Reading{Number: true, Unit: "in"}, []any{2.7, 3.5, 3.0}},
		// Ordinals are positions (the best finish is the smallest), not
		// amounts: read as numbers, "best finish" would be 22nd.
		{"ordinal finishes stay text", "Season,Finish\n2001,5th\n2002,3rd\n2003,1st\n2004,22nd\n", "Finish", Reading{}, nil},
		// A unit column with one value in another unit would drop that
		// row from every ranking and total: it stays text.
		{"another unit keeps the column text", "Product,Use\nA,10 days\nB,14 days\nC,7 days\nD,12 days\nE,9 days\nF,3 days\nG,8 days\nH,6 days\nI,5 days\nJ,2 hours\n",
			"Use", Reading{}, nil},
		{"millions among copies stay text", "Title,Sales\nA,\"1,200,000 copies\"\nB,\"850,000 copies\"\nC,3.5 million copies\nD,\"400,000 copies\"\nE,\"300,000 copies\"\nF,\"200,000 copies\"\nG,\"100,000 copies\"\nH,\"90,000 copies\"\nI,\"80,000 copies\"\nJ,\"70,000 copies\"\n",
			"Sales", Reading{}, nil},
		{"millions and billions are not units", "Film,Gross\nA,$2.9 billion\nB,$900 million\nC,$750 million\nD,$600 million\nE,$500 million\nF,$400 million\nG,$300 million\nH,$200 million\nI,$100 million\nJ,$90 million\n",
			"Gross", Reading{}, nil},
		{"all in millions is still no unit", "Film,Gross\nB,$900 million\nC,$750 million\nD,$600 million\n", "Gross", Reading{}, nil},
		{"pt and pts are one unit", "Team,Points\nA,25 pts\nB,21 pts\nC,1 pt\nD,9 pts\n",
			"Points", Reading{Number: true, Unit: "pt"}, []any{25.0, 21.0, 1.0, 9.0}},
		{"copy and copies are one unit", "Title,Sales\nA,\"1,200 copies\"\nB,1 copy\nC,850 copies\n",
			"Sales", Reading{Number: true, Unit: "copy"}, []any{1200.0, 1.0, 850.0}},
		// "6 ft 2 in" is not 6: a measure in a unit and its sub-unit stays
		// text.
		{"feet and inches stay text", "Player,Height\nA,6 ft 2 in\nB,6 ft 11 in\nC,7 ft 0 in\nD,6 ft 0 in\n", "Height", Reading{}, nil},
		{"pounds and ounces stay text", "Baby,Weight\nA,7 lb 3 oz\nB,8 lb 0 oz\nC,6 lb 12 oz\n", "Weight", Reading{}, nil},
		{"metres and centimetres stay text", "Jumper,Best\nA,2 m 01 cm\nB,1 m 98 cm\nC,2 m 05 cm\n", "Best", Reading{}, nil},
		// Two-part clock values are m:ss, h:mm or a time of day.
		{"running times in h:mm stay text", "Film,Running time\nAlpha,1:45\nBeta,2:30\nGamma,3:10\nDelta,1:32\n", "Running time", Reading{}, nil},
		{"kick-off times stay text", "Opponent,Time\nBears,12:00\nLions,15:25\nPackers,20:20\nVikings,13:00\n", "Time", Reading{}, nil},
		{"times of day under another name stay text", "Opponent,Time (ET)\nBears,1:00\nLions,4:05\nPackers,8:20\n", "Time (ET)", Reading{}, nil},
		{"song lengths under Length", "Title,Length\nA,3:45\nB,12:05\nC,4:10\n",
			"Length", Reading{Number: true, Duration: true}, []any{225.0, 725.0, 250.0}},
		{"chart positions with dashes", "Single,US,UK\nA,—,3\nB,24,—\nC,—,—\nD,53,12\n",
			"US", Reading{Number: true}, []any{nil, 24.0, nil, 53.0}},
		{"footnote marks", "City,Population\nA,\"1,234[a]\"\nB,\"2,500 *\"\nC,\"3,001†\"\nD,\"12,000\"\n",
			"Population", Reading{Number: true}, []any{1234.0, 2500.0, 3001.0, 12000.0}},
		// Wikipedia writes a height in feet with metres in brackets, a
		// vote count with its share: the first figure is the column's.
		{"a figure with another in brackets", "Name,Height ft (m)\nFoshay,\"447 (136)\"\nMetropolitan,258 (79)\nGlobe,157 (48)\nIDS,\"792 (241)\"\n",
			"Height ft (m)", Reading{Number: true}, []any{447.0, 258.0, 157.0, 792.0}},
		{"votes with their share", "Party,Votes\nA,\"12,345 (45.6%)\"\nB,\"9,876 (36.5%)\"\nC,—\nD,\"4,321 (17.9%)\"\n",
			"Votes", Reading{Number: true}, []any{12345.0, 9876.0, nil, 4321.0}},
		// Typeset tables write a minus sign (U+2212), golf scores with
		// their rounds after them.
		{"minus signs", "Year,Winning score\n2008,−15 (66-65-68-74=273)\n2009,−13 (62-72-69-68=271)\n2010,+2 (70-71-72-73=286)\n2011,−8\n",
			"Winning score", Reading{Number: true}, []any{-15.0, -13.0, 2.0, -8.0}},
		{"negative figures with a unit", "Place,Elevation\nDead Sea,-430 m\nDeath Valley,−86 m\nDenver,1609 m\n",
			"Elevation", Reading{Number: true, Unit: "m"}, []any{-430.0, -86.0, 1609.0}},
		{"names with a bracket stay text", "Athlete,Nation\nA,Zhang Qing (CHN)\nB,Dmitriy Pantov (KAZ)\nC,Ole Bjørndalen (NOR)\n", "Athlete", Reading{}, nil},
		{"zero-padded codes stay text", "Name,Code\na,007\nb,012\nc,120\n", "Code", Reading{}, nil},
		{"names with numbers stay text", "Event,Winner\n100 m,Bolt\n200 m hurdles,Robles\n4 x 100 m relay,Jamaica\nMarathon,Gebrselassie\n",
			"Event", Reading{}, nil},
		{"coordinates stay text", "Place,Location\na,37°36′N 121°2′W\nb,38°1′N 120°5′W\nc,36°2′N 119°1′W\n", "Location", Reading{}, nil},
		{"scores are not durations", "Match,Score\nA,2:1\nB,3:0\nC,1:1\n", "Score", Reading{}, nil},
		{"a lone m is not minutes", "Event,Distance\na,4m\nb,12m\nc,3m\n", "Distance", Reading{Number: true, Unit: "m"}, []any{4.0, 12.0, 3.0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, _ := mustIngest(t, e, strings.ReplaceAll(tc.name, " ", "_")+".csv", []byte(tc.csv))
			p, err := e.Profile(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			c := p.Column(tc.col)
			if c == nil {
				t.Fatalf("no column %s", tc.col)
			}
			if got := c.Reading(); got != tc.want {
				t.Fatalf("%s read as %+v, want %+v (type %s)", tc.col, got, tc.want, c.Type)
			}
			if tc.values == nil {
				return
			}
			res := mustQuery(t, e, id, "SELECT "+c.Expr()+" FROM data")
			var got []any
			for _, r := range res.Rows {
				got = append(got, r[0])
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.values) {
				t.Errorf("values %v, want %v", got, tc.values)
			}
			if c.Class != KindNumeric {
				t.Errorf("class %s, want numeric", c.Class)
			}
		})
	}
}

// A column DuckDB's sniffer would type TIME ("4:25" as 04:25:00) stays the
// text it is.
func TestClockColumnsStayText(t *testing.T) {
	e := newTestEngine(t)
	_, ds := mustIngest(t, e, "tracks.csv", []byte("Title,Time\nA,6:44\nB,4:25\nC,8:24\nD,1:38\n"))
	for _, c := range ds.Columns {
		if c.Name == "Time" && c.Type != "VARCHAR" {
			t.Errorf("Time ingested as %s, want VARCHAR", c.Type)
		}
	}
	if got := clockAsText(`read_csv('a.csv', columns={'TIME': 'VARCHAR', 'Time': 'TIME', 'x': 'TIMESTAMP'})`); got !=
		`read_csv('a.csv', columns={'TIME': 'VARCHAR', 'Time': 'VARCHAR', 'x': 'TIMESTAMP'})` {
		t.Errorf("clockAsText: %s", got)
	}
}

// The cases are shared with the page's formatDuration (web/src/lib/format.test.ts):
// the Profile tab and the analyst write a length of time alike.
func TestFormatDuration(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "durations.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Seconds float64 `json:"seconds"`
		Want    string  `json:"want"`
	}
	if err := json.Unmarshal(b, &cases); err != nil || len(cases) == 0 {
		t.Fatalf("durations.json: %v", err)
	}
	for _, c := range cases {
		if got := FormatDuration(c.Seconds); got != c.Want {
			t.Errorf("FormatDuration(%v) = %q, want %q", c.Seconds, got, c.Want)
		}
	}
}

func TestUnitOf(t *testing.T) {
	for in, want := range map[string]string{"games": "game", "Game": "game", "pts": "pt", "pt": "pt", "copies": "copy", "Copies": "copy", "lbs": "lb", "class": "class", "ms": "ms", "ft": "ft", "1st": "1st", "nd": "th", "Days": "day", "in": "in"} {
		if got := UnitOf(in); got != want {
			t.Errorf("UnitOf(%q) = %q, want %q", in, got, want)
		}
	}
}
