package duck

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestUniqueNames(t *testing.T) {
	cases := []struct{ in, want []string }{
		{[]string{"a", "b"}, []string{"a", "b"}},
		{[]string{"a", "a", "a"}, []string{"a", "a_2", "a_3"}},
		{[]string{"a", "A"}, []string{"a", "A_2"}},
		{[]string{"a", "a", "a_2"}, []string{"a", "a_3", "a_2"}},
		{[]string{"", "x", ""}, []string{"column_1", "x", "column_3"}},
		{[]string{"column_2", ""}, []string{"column_2", "column_2_2"}},
		{[]string{"first name", "amount ($)"}, []string{"first name", "amount ($)"}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.in), func(t *testing.T) {
			if got := uniqueNames(tc.in); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("uniqueNames(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestOrderedRowJSON(t *testing.T) {
	r := &Result{Columns: []string{"z", "a", "z", ""}, Rows: [][]any{{1, "x", nil, true}}}
	b, err := json.Marshal(r.Objects())
	if err != nil {
		t.Fatal(err)
	}
	if want := `[{"z":1,"a":"x","z_2":null,"column_4":true}]`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	if v, ok := r.Objects()[0].Get("a"); !ok || v != "x" {
		t.Errorf("Get = %v %v", v, ok)
	}
}

func TestPlainMessage(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Binder Error: Referenced column \"nope\" not found\n\nLINE 1: SELECT nope", `Referenced column "nope" not found`},
		{"Invalid Input Error: CSV Error on Line: 2\nOriginal Line: x", "CSV Error on Line: 2"},
		{"Out of Memory Error: could not allocate", "could not allocate"},
		{"no prefix here", "no prefix here"},
	}
	for _, tc := range cases {
		if got := plainMessage(tc.in); got != tc.want {
			t.Errorf("plainMessage(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestExplainParts(t *testing.T) {
	cases := []struct {
		in      string
		analyze bool
		inner   string
		ok      bool
	}{
		{"EXPLAIN SELECT 1", false, "SELECT 1", true},
		{"explain analyze SELECT 1", true, "SELECT 1", true},
		{"EXPLAIN ANALYSE FROM data", true, "FROM data", true},
		{" /* a */ EXPLAIN -- b\n (FORMAT json) SELECT 1", false, "SELECT 1", true},
		{"EXPLAIN (FORMAT 'a)') SELECT 1", false, "SELECT 1", true},
		{"EXPLAIN /* ANALYZE */ COPY x TO 'y'", false, "COPY x TO 'y'", true},
		{"EXPLAINX SELECT 1", false, "", false},
		{"SELECT 1", false, "", false},
		{"EXPLAIN (FORMAT json", false, "", false},
		{"EXPLAIN", false, "", false},
	}
	for _, tc := range cases {
		a, inner, ok := explainParts(tc.in)
		if a != tc.analyze || inner != tc.inner || ok != tc.ok {
			t.Errorf("explainParts(%q) = %v %q %v", tc.in, a, inner, ok)
		}
	}
}
