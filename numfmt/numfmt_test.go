package numfmt

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// testCase is one line of testdata/cases.json, which web/src/lib/format.test.ts
// runs too: the UI and the server write numbers alike.
type testCase struct {
	Fn         string  `json:"fn"`
	Value      float64 `json:"value"`
	Name       string  `json:"name"`
	Identifier bool    `json:"identifier"`
	// The column's range, when not the value alone.
	Min, Max *float64
	Want     string `json:"want"`
}

func TestSharedCases(t *testing.T) {
	b, err := os.ReadFile("testdata/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []testCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		var got string
		switch c.Fn {
		case "count":
			got = Count(int64(c.Value))
		case "number":
			got = Number(c.Value)
		case "percent":
			got = Percent(c.Value)
		case "column":
			integer := c.Value == math.Trunc(c.Value)
			lo, hi := c.Value, c.Value
			if c.Min != nil && c.Max != nil {
				lo, hi = *c.Min, *c.Max
			}
			got = Value(c.Value, RoleFor(c.Name, c.Identifier, lo, hi, integer))
		case "label":
			got = Value(c.Value, Label)
		case "about":
			got = About(Number(c.Value))
		case "approx":
			got = Approx(Number(c.Value))
		default:
			t.Fatalf("unknown fn %q", c.Fn)
		}
		if got != c.Want {
			t.Errorf("%s(%v, name=%q) = %q, want %q", c.Fn, c.Value, c.Name, got, c.Want)
		}
	}
}

func TestRoleForRange(t *testing.T) {
	// A year column is a label only when every value is a plausible year.
	if r := RoleFor("year", false, 1990, 2015, true); r != Label {
		t.Errorf("year 1990..2015: %s", r)
	}
	if r := RoleFor("years_of_service", false, 0, 40, true); r != Amount {
		t.Errorf("years_of_service 0..40: %s", r)
	}
	if r := RoleFor("year", false, 1990, 2015, false); r != Amount {
		t.Errorf("fractional year: %s", r)
	}
	if got := Stat(229, Amount, true); got != "about 229" {
		t.Errorf("Stat approx = %q", got)
	}
	if got := Stat(2014, Label, false); got != "2014" {
		t.Errorf("Stat year = %q", got)
	}
}
