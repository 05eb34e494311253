package llm

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// profileJSON is what GET /api/sessions/{id}/profile says of a dataset.
type profileJSON struct {
	RowCount      int64 `json:"row_count"`
	DuplicateRows int64 `json:"duplicate_rows"`
	Columns       []struct {
		Name       string      `json:"name"`
		Type       string      `json:"type"`
		Class      duck.Kind   `json:"class"`
		NullCount  int64       `json:"null_count"`
		Distinct   *duck.Stat  `json:"distinct"`
		Median     *duck.Stat  `json:"median"`
		NumberRole numfmt.Role `json:"number_role"`
	} `json:"columns"`
}

// corpus lists the repository's test files: the model's own and duck's.
func corpus(t *testing.T) []string {
	files := []string{filepath.Join("testdata", "weather.csv")}
	for _, pat := range []string{"*.csv", "awkward/*.csv", "awkward/*/*.csv"} {
		m, err := filepath.Glob(filepath.Join("..", "..", "duck", "testdata", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("corpus of %d files", len(files))
	}
	return files
}

// ingestFile ingests a file of the corpus into the shared engine; ok is
// false for the files duck refuses (the corpus holds broken ones).
func ingestFile(t *testing.T, path string) (agent.Dataset, bool) {
	t.Helper()
	eng, _ := MustDataset(t, "weather.csv") // starts the shared engine
	src := filepath.Join(sharedDir, "upload-"+uuid.NewString()+filepath.Ext(path))
	if err := copyFile(path, src); err != nil {
		t.Fatal(err)
	}
	sid := uuid.NewString()
	got, err := eng.Ingest(context.Background(), sid, src, filepath.Base(path))
	if err != nil {
		_ = os.Remove(src)
		return agent.Dataset{}, false
	}
	prof := got.Profile
	if prof == nil { // still being computed
		if prof, err = eng.Profile(context.Background(), sid); err != nil {
			t.Fatalf("profile: %v", err)
		}
	}
	return agent.Dataset{SessionID: sid, Filename: filepath.Base(path), RowCount: got.RowCount, Columns: got.Columns, Profile: prof}, true
}

// The Profile JSON, the findings' sentences and the model's prompt state
// the same number for the same statistic, and mark the same estimates.
func TestOneNumberPerStatistic(t *testing.T) {
	checked := 0
	for _, path := range corpus(t) {
		t.Run(strings.TrimPrefix(path, "../../"), func(t *testing.T) {
			ds, ok := ingestFile(t, path)
			if !ok {
				t.Skip("refused by ingest")
			}
			checked++
			raw, err := json.Marshal(ds.Profile)
			if err != nil {
				t.Fatal(err)
			}
			var pj profileJSON
			if err := json.Unmarshal(raw, &pj); err != nil {
				t.Fatal(err)
			}
			prompt := SystemPrompt(ds, nil, false)
			auto := AutoAnalyzePrompt(ds.Profile.Findings)
			findingsOf := func(kind duck.FindingKind, column string) []duck.Finding {
				var out []duck.Finding
				for _, f := range ds.Profile.Findings {
					if f.Kind == kind && (column == "" || len(f.Columns) > 0 && f.Columns[0] == column) {
						out = append(out, f)
					}
				}
				return out
			}
			has := func(where, text, want string) {
				t.Helper()
				if !strings.Contains(text, want) {
					t.Errorf("%s lacks %q:\n%s", where, want, text)
				}
			}

			has("prompt", prompt, numfmt.Count(pj.RowCount)+" rows")
			if pj.DuplicateRows > 0 {
				has("prompt", prompt, numfmt.Count(pj.DuplicateRows)+" rows are exact duplicates")
				for _, f := range findingsOf(duck.FindingDuplicates, "") {
					has("duplicates finding", f.Text, numfmt.Count(pj.DuplicateRows)+" of "+numfmt.Count(pj.RowCount)+" rows")
					has("auto-analyze prompt", auto, f.Text)
				}
			}
			lines := strings.Split(prompt, "\n")
			for _, c := range pj.Columns {
				if strings.ContainsAny(c.Name, "\r\n") {
					continue
				}
				prefix := "- " + duck.QuoteIdent(c.Name) + " " + c.Type + ","
				line := ""
				for _, l := range lines {
					if strings.HasPrefix(l, prefix) {
						line = l
					}
				}
				if line == "" {
					t.Errorf("prompt has no line for %s:\n%s", prefix, prompt)
					continue
				}
				if c.NullCount > 0 {
					nulls := numfmt.Count(c.NullCount)
					has("prompt", line, nulls+" nulls")
					for _, f := range findingsOf(duck.FindingMissing, c.Name) {
						if f.Values["missing"] != float64(c.NullCount) {
							t.Errorf("%s: finding says %v missing, profile %d", c.Name, f.Values["missing"], c.NullCount)
						}
						has("missing finding", f.Text, " in "+nulls+" of "+numfmt.Count(pj.RowCount)+" rows")
					}
				}
				if c.Distinct != nil {
					d := countStat(int64(c.Distinct.Value), c.Distinct.Approx)
					if !strings.Contains(line, ": "+d+" distinct") && !strings.Contains(line, "; "+d+" distinct") {
						t.Errorf("prompt lacks %q:\n%s", d+" distinct", line)
					}
					for _, kind := range []duck.FindingKind{duck.FindingCategories, duck.FindingDominant} {
						for _, f := range findingsOf(kind, c.Name) {
							if f.Values["distinct"] != c.Distinct.Value || f.Approx != c.Distinct.Approx {
								t.Errorf("%s: finding says %v distinct (approx %v), profile %v", c.Name, f.Values["distinct"], f.Approx, *c.Distinct)
							}
							has(string(kind)+" finding", f.Text, d+" values")
						}
					}
				}
				if c.Median != nil && c.Class != duck.KindIdentifier {
					m := numfmt.Stat(c.Median.Value, c.NumberRole, c.Median.Approx)
					has("prompt", line, "median "+m)
					for _, f := range findingsOf(duck.FindingSkew, c.Name) {
						if f.Values["median"] != c.Median.Value || f.Approx != c.Median.Approx {
							t.Errorf("%s: finding says median %v (approx %v), profile %v", c.Name, f.Values["median"], f.Approx, *c.Median)
						}
						has("skew finding", f.Text, "its median "+m)
					}
				}
			}
			for _, f := range ds.Profile.Findings {
				has("auto-analyze prompt", auto, f.Text)
				if f.Approx {
					has("finding", f.Text, "about ")
				}
			}
		})
	}
	if checked < 10 {
		t.Errorf("only %d files of the corpus were checked", checked)
	}
}

// Estimates are marked in the prompt as the Profile JSON marks them.
func TestEstimatesMarked(t *testing.T) {
	_, ds := MustDataset(t, "weather.csv")
	p := *ds.Profile
	p.Columns = append([]duck.ColumnProfile(nil), p.Columns...)
	c := &p.Columns[2] // temp_max
	if c.Name != "temp_max" || c.Distinct == nil || c.Median == nil {
		t.Fatalf("column %+v", c)
	}
	d, m := *c.Distinct, *c.Median
	d.Approx, m.Approx = true, true
	c.Distinct, c.Median = &d, &m
	ds.Profile = &p
	raw, _ := json.Marshal(c)
	for _, want := range []string{`"distinct":{"value":88,"approx":true}`, `"median":{"value":12.3,"approx":true}`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("profile JSON lacks %s: %s", want, raw)
		}
	}
	prompt := SystemPrompt(ds, nil, false)
	if !strings.Contains(prompt, `- "temp_max" DOUBLE, numeric: about 88 distinct; min 3.4, max 19.5; mean 12.1; median about 12.3;`) {
		t.Errorf("estimates not marked:\n%s", prompt)
	}
}
