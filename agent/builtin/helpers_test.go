package builtin

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// sharedEngine is one data engine for the package's tests: datasets are
// ingested once and read by many tests.
var (
	engineOnce sync.Once
	engine     *duck.Engine
	engineErr  error
	engineDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if engine != nil {
		engine.Close()
	}
	if engineDir != "" {
		os.RemoveAll(engineDir)
	}
	os.Exit(code)
}

func testEngine(tb testing.TB) *duck.Engine {
	tb.Helper()
	engineOnce.Do(func() {
		engineDir, engineErr = os.MkdirTemp("", "builtin-test-*")
		if engineErr != nil {
			return
		}
		engine, engineErr = duck.New(duck.Config{
			DataDir:          engineDir,
			MemoryLimit:      "512MB",
			QueryMemoryLimit: "256MB",
			Threads:          2,
			QueryTimeout:     20 * time.Second,
		}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	})
	if engineErr != nil {
		tb.Fatal(engineErr)
	}
	return engine
}

// fixture is an ingested dataset.
type fixture struct {
	id string
	ds agent.Dataset
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[string]*fixture{}
)

// ingest writes csv to a file named filename and ingests it once per name.
func ingest(tb testing.TB, filename, csv string) *fixture {
	tb.Helper()
	e := testEngine(tb)
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f, ok := fixtures[filename]; ok {
		return f
	}
	dir, err := os.MkdirTemp(engineDir, "upload-*")
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, "upload")
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		tb.Fatal(err)
	}
	id := uuid.NewString()
	ds, err := e.Ingest(context.Background(), id, path, filename)
	if err != nil {
		tb.Fatalf("ingest %s: %v", filename, err)
	}
	f := &fixture{id: id, ds: agent.Dataset{
		SessionID: id, Filename: filename, RowCount: ds.RowCount, Columns: ds.Columns, Profile: ds.Profile,
	}}
	fixtures[filename] = f
	return f
}

// sqlOne runs sql on the fixture's data and returns its rows.
func (f *fixture) sql(tb testing.TB, sql string) [][]any {
	tb.Helper()
	res, err := testEngine(tb).Query(context.Background(), f.id, sql)
	if err != nil {
		tb.Fatalf("reference query %q: %v", sql, err)
	}
	return res.Rows
}

// recorder is a Sink that keeps everything.
type recorder struct {
	mu      sync.Mutex
	events  []agent.Event
	records []agent.Record
	onEmit  func(agent.Event)
}

func (r *recorder) Emit(ev agent.Event) {
	r.mu.Lock()
	r.events = append(r.events, ev)
	f := r.onEmit
	r.mu.Unlock()
	if f != nil {
		f(ev)
	}
}

func (r *recorder) Save(ctx context.Context, rec agent.Record) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec)
	return nil
}

// answer runs one turn of a through rec, as agent.Turn does: the text
// still pending at the end is kept, marked stopped after a stop.
func answer(ctx context.Context, a agent.Analyst, req agent.Request, rec *recorder) (agent.Usage, error) {
	reply := agent.NewReply(ctx, rec)
	u, err := a.Answer(ctx, req, reply)
	if cerr := reply.Close(agent.UserStopped(ctx)); cerr != nil && err == nil {
		err = cerr
	}
	return u, err
}

// text is the concatenated text events.
func (r *recorder) text() string {
	var b strings.Builder
	for _, ev := range r.events {
		if ev.Event == agent.EventText {
			b.WriteString(ev.Data.(agent.TextData).Text)
		}
	}
	return b.String()
}

func (r *recorder) results() []*agent.QueryResult {
	var out []*agent.QueryResult
	for _, ev := range r.events {
		if ev.Event == agent.EventQueryResult {
			out = append(out, ev.Data.(*agent.QueryResult))
		}
	}
	return out
}

func (r *recorder) plots() []agent.PlotData {
	var out []agent.PlotData
	for _, ev := range r.events {
		if ev.Event == agent.EventPlot {
			out = append(out, ev.Data.(agent.PlotData))
		}
	}
	return out
}

// sharedAnalyst answers the golden questions, as one server would.
var sharedAnalyst = sync.OnceValue(func() *Analyst { return New(engine) })

// ask runs one question through the shared analyst.
func ask(tb testing.TB, f *fixture, question string) *recorder {
	tb.Helper()
	testEngine(tb)
	a := sharedAnalyst()
	rec := &recorder{}
	req := agent.Request{Kind: agent.KindMessage, Text: question, Dataset: f.ds}
	if _, err := answer(context.Background(), a, req, rec); err != nil {
		tb.Fatalf("answer %q: %v", question, err)
	}
	return rec
}

// ---- generated datasets -------------------------------------------------

type sale struct {
	id       int
	date     time.Time
	region   string
	category string
	price    float64
	qty      int
	discount float64
}

// salesCSV is a deterministic sales table whose column names have spaces,
// symbols and a double quote, and whose dates are stored as text: a few are
// "unknown", so the CSV reader keeps the column as VARCHAR. (Apostrophes in
// names are covered by the grammar's tests on a schema without an engine.)
func salesCSV() string {
	r := rand.New(rand.NewPCG(1, 2))
	regions := []string{"West", "East", "North", "South"}
	cats := []string{"Toys", "Books", "Garden", "Electronics", "Food"}
	var b strings.Builder
	b.WriteString(`Order ID,Order Date,Region,Product Category,Unit Price ($),Quantity,"Discount ""pct""",Customer Name (#)` + "\n")
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 600; i++ {
		s := sale{
			id:       1000 + i,
			date:     start.AddDate(0, 0, r.IntN(730)),
			region:   regions[r.IntN(len(regions))],
			category: cats[r.IntN(len(cats))],
			price:    math.Round((5+r.Float64()*95)*100) / 100,
			qty:      1 + r.IntN(20),
			discount: float64(r.IntN(5)) * 5,
		}
		date := s.date.Format("2006-01-02")
		if i%40 == 7 {
			date = "unknown"
		}
		fmt.Fprintf(&b, "%d,%s,%s,%s,%.2f,%d,%g,Customer %d\n", s.id, date, s.region, s.category,
			s.price, s.qty, s.discount, r.IntN(200))
	}
	return b.String()
}

// amountsCSV has numbers written as text with currency signs and
// separators, and month-first dates mixed with a few unreadable ones.
func amountsCSV() string {
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

// groupDigits writes a plain decimal number with thousands separators, as
// people type amounts into a spreadsheet ("1,234.50").
func groupDigits(s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return s
	}
	if frac != "" {
		return numfmt.Count(n) + "." + frac
	}
	return numfmt.Count(n)
}
