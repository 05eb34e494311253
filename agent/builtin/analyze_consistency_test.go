package builtin

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
	"github.com/analyzerhq/analyzer/trace"
)

// analyzeCorpus lists test files written elsewhere: duck's (awkward CSVs
// from DuckDB's and others' suites), the model's weather table and a few
// WikiTableQuestions tables.
func analyzeCorpus(t *testing.T) []string {
	var files []string
	for _, pat := range []string{"../../duck/testdata/*.csv", "../../duck/testdata/awkward/*.csv", "../llm/testdata/*.csv"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	wtq, err := filepath.Glob("testdata/wtq/*.csv")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(wtq)
	if len(wtq) > 12 {
		wtq = wtq[:12]
	}
	files = append(files, wtq...)
	if len(files) < 30 {
		t.Fatalf("corpus of %d files", len(files))
	}
	return files
}

// ingestPath ingests a file; ok is false for those duck refuses (the
// corpus holds broken files on purpose).
func ingestPath(t *testing.T, path string) (*fixture, bool) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e := testEngine(t)
	dir, err := os.MkdirTemp(engineDir, "upload-*")
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "upload")
	if err := os.WriteFile(src, b, 0o600); err != nil {
		t.Fatal(err)
	}
	id := uuid.NewString()
	ds, err := e.Ingest(context.Background(), id, src, filepath.Base(path))
	if err != nil {
		return nil, false
	}
	prof, err := e.Profile(context.Background(), id)
	if err != nil {
		t.Fatalf("profile: %v", err)
	}
	return &fixture{id: id, ds: agent.Dataset{SessionID: id, Filename: filepath.Base(path), RowCount: ds.RowCount, Columns: ds.Columns, Profile: prof}}, true
}

// Auto-analyze, the Profile JSON and the models' prompts state the same
// number for the same statistic: every finding of the profile in the same
// words in Auto-analyze's report and in the auto-analysis prompt, each
// beside the result of its own query, estimates said "about"; the
// medians and means of the report's headline facts as the Profile JSON
// has them; and every figure of the report in a table it shows.
func TestAutoAnalyzeSaysTheProfile(t *testing.T) {
	checked, stated := 0, 0
	for _, path := range analyzeCorpus(t) {
		t.Run(strings.TrimPrefix(path, "../../"), func(t *testing.T) {
			f, ok := ingestPath(t, path)
			if !ok {
				t.Skip("refused by ingest")
			}
			checked++
			prof := f.ds.Profile
			raw, err := json.Marshal(prof)
			if err != nil {
				t.Fatal(err)
			}
			var pj struct {
				Findings []duck.Finding `json:"findings"`
				Columns  []struct {
					Name       string      `json:"name"`
					Mean       *float64    `json:"mean"`
					Median     *duck.Stat  `json:"median"`
					NumberRole numfmt.Role `json:"number_role"`
				} `json:"columns"`
			}
			if err := json.Unmarshal(raw, &pj); err != nil {
				t.Fatal(err)
			}
			rec := autoAnalyze(t, f)
			text := rec.text()
			prompt := llm.AutoAnalyzePrompt(prof.Findings)
			shown := map[string]*agent.QueryResult{}
			for _, qr := range rec.results() {
				shown[qr.SQL] = qr
			}
			var names []string
			for _, c := range f.ds.Columns {
				names = append(names, c.Name)
			}
			for _, fd := range pj.Findings {
				if !strings.Contains(prompt, fd.Text) {
					t.Errorf("the prompt lacks the finding %q", fd.Text)
				}
				if fd.Approx && !strings.Contains(fd.Text, "about ") {
					t.Errorf("an estimate not said so: %q", fd.Text)
				}
				if fd.Approx && !strings.Contains(prompt, "approx] "+fd.Text) {
					t.Errorf("an estimate not marked approx in the prompt: %q", fd.Text)
				}
				// The report's words, markdown aside, are the finding's (its
				// columns in bold instead of quoted).
				want := fd.Text
				for _, c := range fd.Columns {
					want = strings.ReplaceAll(want, duck.QuoteIdent(c), c)
				}
				if !strings.Contains(plain(text), "- "+want+"\n") {
					t.Errorf("the report lacks the finding %q:\n%s", want, text)
				}
				if len(trace.Trace(fd.Text, trace.Input{Columns: names}).Figures) == 0 {
					stated++
					continue // no figure: no table needed
				}
				qr := shown[fd.SQL]
				if qr == nil {
					t.Errorf("the report states %q without showing its query %s", fd.Text, fd.SQL)
					continue
				}
				// Each number of the finding is in its own query's result.
				res := trace.Result{Columns: qr.Columns, RowCount: qr.RowCount}
				if r := qr.Rows(); r != nil {
					res.Rows = r.Rows
				}
				for _, fig := range trace.Trace(fd.Text, trace.Input{Columns: names, Results: []trace.Result{res}}).Figures {
					if fig.Source == nil {
						t.Errorf("%q of the finding %q is not in the result of its query %s", fig.Text, fd.Text, fd.SQL)
					}
				}
				stated++
			}
			// The headline statistics of the measures.
			for _, c := range pj.Columns {
				prefix := bold(c.Name) + ": "
				i := strings.Index(text, "- "+prefix)
				if i < 0 || c.Median == nil || c.Mean == nil {
					continue
				}
				fact, _, _ := strings.Cut(text[i:], "\n")
				for _, want := range []string{
					"average " + numfmt.Value(*c.Mean, c.NumberRole),
					"(median " + numfmt.Stat(c.Median.Value, c.NumberRole, c.Median.Approx) + ")",
				} {
					if !strings.Contains(fact, want) {
						t.Errorf("%s: the report says %q, the profile %q", c.Name, fact, want)
					}
				}
			}
			ans := traceTurn(rec, f.ds)
			for _, p := range ans.Parts {
				for _, fig := range p.Figures {
					if fig.Source == nil {
						t.Errorf("figure %q is in no table shown:\n%s", fig.Text, text)
					}
				}
			}
		})
	}
	if checked < 25 || stated < 30 {
		t.Errorf("only %d files and %d findings checked", checked, stated)
	}
}

// plain is markdown text as read: bold marks and escapes removed.
func plain(md string) string {
	md = strings.ReplaceAll(md, "**", "")
	md = strings.NewReplacer("&lt;", "<", "&gt;", ">").Replace(md)
	var b strings.Builder
	for i := 0; i < len(md); i++ {
		if md[i] == '\\' && i+1 < len(md) {
			i++
		}
		b.WriteByte(md[i])
	}
	return b.String()
}
