package chat

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/builtin"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

// TestBuiltinFiguresTraced runs the built-in analyst's golden questions
// (agent/builtin/golden_test.go, on the same generated tables) and its
// development corpus (agent/builtin/testdata/wtq) through the chat, end to
// end, and requires every figure of every answer to be traced to a cell of
// the answer's own results.
func TestBuiltinFiguresTraced(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the analyst's whole corpus")
	}
	h := newCorpusHarness(t)
	var figures, traced int
	var misses []string
	run := func(table, csvPath string, questions []string) {
		sess := h.session(t, table, csvPath)
		for _, q := range questions {
			evs := h.turn(t, sess, q)
			d := doneOf(t, evs)
			if d.Trace == nil {
				continue
			}
			figures += d.Trace.Figures
			traced += d.Trace.Traced
			for _, p := range d.Trace.Parts {
				for _, f := range p.Figures {
					if os.Getenv("TRACE_SHOW") != "" && f.Source != nil {
						t.Logf("%s %q: %q → %+v", table, q, f.Text, *f.Source)
					}
					if f.Source == nil {
						misses = append(misses, fmt.Sprintf("%s: %q: %q in %q", table, q, f.Text, around(liveText(evs), f.Text)))
					}
				}
			}
		}
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run("sales.csv", write("sales.csv", goldenSalesCSV()), goldenSalesQuestions)
	run("amounts.csv", write("amounts.csv", goldenAmountsCSV()), goldenAmountsQuestions)

	corpus := filepath.Join("..", "agent", "builtin", "testdata", "wtq")
	byTable := map[string][]string{}
	f, err := os.Open(filepath.Join(corpus, "questions.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) == 4 {
			byTable[p[1]] = append(byTable[p[1]], p[2])
		}
	}
	f.Close()
	tables := make([]string, 0, len(byTable))
	for tb := range byTable {
		tables = append(tables, tb)
	}
	sort.Strings(tables)
	for _, tb := range tables {
		run(tb+".csv", filepath.Join(corpus, tb+".csv"), byTable[tb])
	}

	t.Logf("built-in analyst: %d of %d figures traced (%.1f%%)", traced, figures, 100*float64(traced)/math.Max(1, float64(figures)))
	// Auto-analyze is reported, not required: its overview states the
	// profile's statistics, which no result of the turn shows.
	all, ok := figures, traced
	figures, traced, answered := 0, 0, misses
	misses = nil
	run("sales-auto.csv", write("sales2.csv", goldenSalesCSV()), []string{""})
	t.Logf("built-in auto-analyze: %d of %d figures traced; untraced:\n%s", traced, figures, strings.Join(misses, "\n"))
	figures, traced, misses = all, ok, answered
	if figures == 0 {
		t.Fatal("no figure in any answer")
	}
	for _, m := range misses {
		t.Errorf("untraced: %s", m)
	}
}

// corpusHarness is one store and engine for many sessions.
type corpusHarness struct {
	store  *storage.DB
	engine *duck.Engine
	chats  *Chats
	user   string
}

func newCorpusHarness(t *testing.T) *corpusHarness {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := storage.Open(ctx, filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	eng, err := duck.New(duck.Config{DataDir: filepath.Join(dir, "data"), MemoryLimit: "512MB", QueryMemoryLimit: "256MB", Threads: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	u, err := store.CreateUser(ctx, "corpus@b.co", "password1")
	if err != nil {
		t.Fatal(err)
	}
	ag := agent.New(eng, builtin.New(eng), nil)
	return &corpusHarness{store: store, engine: eng, chats: New(store, ag, eng, Options{TurnTimeout: time.Minute}), user: u.ID}
}

// session uploads a copy of csvPath as a new session.
func (h *corpusHarness) session(t *testing.T, name, csvPath string) *storage.Session {
	t.Helper()
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "upload.csv")
	copyFile(t, csvPath, src)
	sess := &storage.Session{ID: storage.NewSessionID(), UserID: h.user, Title: name}
	ds, err := h.engine.Ingest(ctx, sess.ID, src, name)
	if err != nil {
		t.Fatalf("ingest %s: %v", name, err)
	}
	var names, types []string
	for _, c := range ds.Columns {
		names, types = append(names, c.Name), append(types, c.Type)
	}
	f := &storage.File{Filename: name, RowCount: ds.RowCount, ColCount: len(names),
		Columns: storage.MustJSON(names), ColumnTypes: storage.MustJSON(types)}
	if err := h.store.CreateSession(ctx, sess, f); err != nil {
		t.Fatal(err)
	}
	return sess
}

// turn asks q (auto-analyze when empty) and returns the events sent.
func (h *corpusHarness) turn(t *testing.T, sess *storage.Session, q string) []agent.Event {
	t.Helper()
	s := &stream{}
	cmd := Command{Type: CommandMessage, Text: q}
	if q == "" {
		cmd = Command{Type: CommandAutoAnalyze}
	}
	turn, err := h.chats.Begin(context.Background(), sess, cmd, s.send)
	if err != nil {
		t.Fatalf("begin %q: %v", q, err)
	}
	turn.Run()
	return s.all()
}

func doneOf(t *testing.T, evs []agent.Event) agent.DoneData {
	t.Helper()
	var d agent.DoneData
	for _, ev := range evs {
		if ev.Event == agent.EventDone {
			mustUnmarshal(t, ev.Data.(json.RawMessage), &d)
		}
	}
	return d
}

func liveText(evs []agent.Event) string {
	var b strings.Builder
	for _, ev := range evs {
		if ev.Event == agent.EventText {
			var d agent.TextData
			_ = json.Unmarshal(ev.Data.(json.RawMessage), &d)
			b.WriteString(d.Text)
		}
	}
	return b.String()
}

// around returns the line of text holding s.
func around(text, s string) string {
	i := strings.Index(text, s)
	if i < 0 {
		return ""
	}
	a := strings.LastIndexByte(text[:i], '\n') + 1
	b := strings.IndexByte(text[i:], '\n')
	if b < 0 {
		b = len(text) - i
	}
	return text[a : i+b]
}

// The golden questions of agent/builtin/golden_test.go.
var (
	goldenSalesQuestions = []string{
		"How many rows are there?", "average unit price", "What's the mean Unit_Price?", "median quantity",
		"standard deviation of unit price", "average discount pct", "max unitprice",
		"What is the total quantity by region?", "average Unit Price ($) for each region",
		"average discount pct by product category", "Top 3 product categories by total quantity",
		"bottom 2 regions by average unit price", "which region has the highest total quantity",
		"count by region", "most common product category", "min unit_price per Product Category",
		"total quantity by region and product category", "how many distinct product categories",
		"how many regions", "average unit price in the West region", "max unit price where region is west",
		"how many rows where quantity above 10 and region is 'West'",
		"average unit price where product category is books and quantity at least 5",
		"sum of quantity in 2023", "how many rows where order date is missing", "total quantity per month",
		"number of rows per year", "quantity over time", "top 5 rows by unit price", "5 lowest unit prices",
		"rows where unit price between 20 and 30", "correlation between unit price and quantity",
		"describe quantity", "distribution of region", "unique values of product category",
		"distribution of unit price", "are there duplicate rows?",
	}
	goldenAmountsQuestions = []string{
		"total amount by store", "average amount", "how many rows where amount above 4,000",
		"average amount per month", "top 2 stores by amount", "total amount where store is nice", "latest when",
	}
)

// goldenSalesCSV is agent/builtin's salesCSV: the same seed, the same table.
func goldenSalesCSV() string {
	r := rand.New(rand.NewPCG(1, 2))
	regions := []string{"West", "East", "North", "South"}
	cats := []string{"Toys", "Books", "Garden", "Electronics", "Food"}
	var b strings.Builder
	b.WriteString(`Order ID,Order Date,Region,Product Category,Unit Price ($),Quantity,"Discount ""pct""",Customer Name (#)` + "\n")
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 600; i++ {
		id := 1000 + i
		d := start.AddDate(0, 0, r.IntN(730))
		region := regions[r.IntN(len(regions))]
		cat := cats[r.IntN(len(cats))]
		price := math.Round((5+r.Float64()*95)*100) / 100
		qty := 1 + r.IntN(20)
		discount := float64(r.IntN(5)) * 5
		date := d.Format("2006-01-02")
		if i%40 == 7 {
			date = "unknown"
		}
		fmt.Fprintf(&b, "%d,%s,%s,%s,%.2f,%d,%g,Customer %d\n", id, date, region, cat, price, qty, discount, r.IntN(200))
	}
	return b.String()
}

// goldenAmountsCSV is agent/builtin's amountsCSV.
func goldenAmountsCSV() string {
	r := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	b.WriteString("store,amount,when\n")
	stores := []string{"Lyon", "Paris", "Nice"}
	for i := 0; i < 300; i++ {
		v := float64(r.IntN(500000)) / 100
		amt := "$" + groupDigits(fmt.Sprintf("%.2f", v))
		when := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365)).Format("01/02/2006")
		if i%50 == 3 {
			when = "?"
		}
		fmt.Fprintf(&b, "%s,\"%s\",\"%s\"\n", stores[r.IntN(3)], amt, when)
	}
	return b.String()
}

// groupDigits puts thousands separators in "1234.50".
func groupDigits(s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	var out []byte
	for i := range len(intPart) {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, intPart[i])
	}
	if frac != "" {
		return string(out) + "." + frac
	}
	return string(out)
}
