package duck

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/numfmt"
)

// Profile is the one description of a dataset, computed once after
// ingest and stored as profile.json: per column its Kind (Class), exact
// statistics (estimates marked as such), date range and granularity, and
// the dataset's findings. Both analysts, the prompt and the UI read it.
// Field names are part of the API (GET /api/sessions/{id}/profile): keep
// them stable.
type Profile struct {
	// Version is the profile format; a stored profile of an older
	// version is computed again when read (profileVersion).
	Version     int   `json:"version"`
	RowCount    int64 `json:"row_count"`
	ColumnCount int   `json:"column_count"`
	// DuplicateRows counts rows identical to an earlier row (compared by a
	// 64-bit hash of the whole row, so exact in practice).
	DuplicateRows int64           `json:"duplicate_rows"`
	Columns       []ColumnProfile `json:"columns"`
	// TimeColumn is the dataset's main temporal column (the first one), ""
	// when it has none.
	TimeColumn string `json:"time_column,omitempty"`
	// Findings are the quality alerts and headline facts, most telling
	// first (see findings.go).
	Findings   []Finding `json:"findings"`
	ComputedAt time.Time `json:"computed_at"`
}

// profileVersion is the current Profile format: 2 added class, distinct,
// median, date ranges, text formats and findings, and the value index; 3
// gave every finding a query whose result holds each number it states; 4
// read numbers with units, durations and placeholders ("—") in text; 5
// left text what reads ambiguously (clock values, "6 ft 2 in", ordinals,
// mixed units) and made "pts" and "copies" one unit with "pt" and "copy";
// 6 read a number followed by the same figure in brackets ("157 (48)");
// 7 knew more placeholders ("Unmeasured", "N.A.", "DNQ").
const profileVersion = 7

// Column returns the profile of the named column, nil when there is none.
func (p *Profile) Column(name string) *ColumnProfile {
	for i := range p.Columns {
		if p.Columns[i].Name == name {
			return &p.Columns[i]
		}
	}
	return nil
}

// ColumnProfile describes one column. Min and Max are JSON values of the
// column's type (dates as ISO strings); number, text and temporal columns
// add the fields of their kind.
type ColumnProfile struct {
	Name string `json:"name"`
	Type string `json:"type"` // DuckDB type name
	// Kind is the family of the DuckDB type: number, text, boolean, date,
	// timestamp, time, other. Deprecated: read Class, what the column holds.
	Kind      string `json:"kind"`
	NullCount int64  `json:"null_count"` // exact
	// DistinctApprox is Distinct.Value. Deprecated: read Distinct, which
	// says whether it is exact.
	DistinctApprox int64    `json:"distinct_approx"`
	Min            any      `json:"min"`            // exact
	Max            any      `json:"max"`            // exact
	Mean           *float64 `json:"mean,omitempty"` // exact, numbers only
	// date, timestamp: the coarsest unit every value is a whole multiple
	// of: year, month, day (dates); day, hour, minute, second, subsecond.
	Granularity string `json:"granularity,omitempty"`

	// Class is what the column holds, decided once (see classify).
	Class Kind `json:"class"`
	// Distinct counts the distinct non-null values, exact up to
	// ExactStatsRows rows, else a HyperLogLog estimate (Approx).
	Distinct *Stat `json:"distinct,omitempty"`

	// number (and text holding numbers: NumberText)
	Stddev   *float64 `json:"stddev,omitempty"` // sample standard deviation, exact
	Skewness *float64 `json:"skewness,omitempty"`
	Zeros    *int64   `json:"zero_count,omitempty"`
	// Median is exact up to ExactStatsRows rows, else estimated (Approx);
	// Q25, Q50 and Q75 are computed the same way (Q50 is Median.Value).
	Median *Stat `json:"median,omitempty"`
	Q25    any   `json:"q25,omitempty"`
	Q50    any   `json:"q50,omitempty"`
	Q75    any   `json:"q75,omitempty"`
	// NumberRole says how the column's numbers read: "label" (years, IDs,
	// codes: no thousands separator) or "amount" (see package numfmt).
	NumberRole numfmt.Role `json:"number_role,omitempty"`

	// text
	MinLength *int64       `json:"min_length,omitempty"`
	MaxLength *int64       `json:"max_length,omitempty"`
	TopValues []ValueCount `json:"top_values,omitempty"` // most frequent non-null values, text and boolean
	// DateFormat is the strptime format of a text column holding dates
	// (one of DateFormats); NumberText marks a text column holding numbers
	// ("$1,200", "12%"). Such columns are converted when computed on.
	DateFormat string `json:"date_format,omitempty"`
	NumberText bool   `json:"number_text,omitempty"`
	// With NumberText: Unit is the unit the numbers are written with
	// ("ft" of "13,149 ft"), Duration marks lengths of time ("4:25",
	// "3m 37s") read as seconds (see Reading).
	Unit     string `json:"unit,omitempty"`
	Duration bool   `json:"duration,omitempty"`
	// Indexed is how many of the column's values the value index holds;
	// IndexComplete says they are all of them.
	Indexed       int  `json:"indexed_values,omitempty"`
	IndexComplete bool `json:"index_complete,omitempty"`

	// DateRange is the span of a temporal column, typed or text.
	DateRange *DateRange `json:"date_range,omitempty"`
}

// Stat is a statistic that may be an estimate: Approx says so, and every
// surface then marks it (≈ 229 in the UI, "about 229" in sentences).
type Stat struct {
	Value  float64 `json:"value"`
	Approx bool    `json:"approx"`
}

// DistinctCount is the number of distinct values (0 when not computed)
// and whether it is an estimate.
func (c *ColumnProfile) DistinctCount() (int64, bool) {
	if c.Distinct == nil {
		return 0, false
	}
	return int64(c.Distinct.Value), c.Distinct.Approx
}

// DateRange is the span of a temporal column: first and last value (ISO
// dates or timestamps) and the granularity of its values.
type DateRange struct {
	From        string `json:"from"`
	To          string `json:"to"`
	Granularity string `json:"granularity"`
}

// storage is the family of the column's type.
func (c *ColumnProfile) storage() storage { return storageOf(c.Type) }

// Expr is the SQL expression of the column's values, typed: a text column
// holding dates is parsed, one holding numbers is cleaned and cast.
func (c *ColumnProfile) Expr() string {
	return c.Reading().Expr(QuoteIdent(c.Name))
}

// ValueExpr is the typed value of ref, a column of text holding dates of
// dateFormat (one of DateFormats) or numbers (numberText), as every query
// computes it (see Reading, which also reads units and durations).
func ValueExpr(ref, dateFormat string, numberText bool) string {
	return Reading{DateFormat: dateFormat, Number: numberText}.Expr(ref)
}

// ValueCount is one frequent value and how many rows hold it.
type ValueCount struct {
	Value any   `json:"value"`
	Count int64 `json:"count"`
}

const (
	profileBatch     = 250 // columns per aggregate query
	topValuesN       = 5
	maxProfileString = 200 // runes kept of a text min/max/top value

	// ExactStatsRows: up to this many rows, distinct counts and quartiles
	// are exact; above, they are estimated and marked approx. Measured on
	// the first N rows of the 1 GB benchmark file (BENCHMARKS.md,
	// TestMeasureExactLimit): exact costs 1.4-1.7 times the estimate from
	// 1M to 10M rows, so the limit bounds the absolute cost.
	ExactStatsRows = 5_000_000
	// exactListRows: up to this many rows a list per column counts
	// distincts more cheaply than count(DISTINCT).
	exactListRows = 10_000
	// TextSampleRows bounds the rows read to recognise dates and numbers
	// stored as text; maxTextColumns the columns examined.
	TextSampleRows = 5000
	maxTextColumns = 200
)

// exactStatsRows is ExactStatsRows; tests lower it to reach the estimates
// with small files.
var exactStatsRows int64 = ExactStatsRows

// StatsExact reports whether a table of rows rows gets exact distinct
// counts and quartiles (else estimates, marked approx): whoever computes
// them again asks here, so that both say the same.
func StatsExact(rows int64) bool { return rows <= exactStatsRows }

// profileJob is a profile being computed in the background after ingest.
type profileJob struct {
	done   chan struct{} // closed when p/err are set
	cancel context.CancelFunc
	p      *Profile
	err    error
}

// startProfile computes the profile, stores it as profile.json and
// releases the ingest's memory share with grant. ingestDB, the ingest
// instance, is now the job's: above profileWaitRows rows it is closed and
// the profile gets a new instance with the profile's memory limit (DuckDB
// cannot lower a running instance's memory_limit once its configuration is
// locked, and the ingest's share, used in full by the duplicate count on a
// file of millions of rows, would take the process past its bound); a
// smaller file's profile, which needs little memory and comes with the
// answer, runs on it without opening another.
func (e *Engine) startProfile(sessionID, dir string, ingestDB *sql.DB, grant func(), rows int64, cols []Column) (*profileJob, error) {
	ctx, cancel := context.WithTimeout(context.Background(), e.profileTimeout(rows))
	job := &profileJob{done: make(chan struct{}), cancel: cancel}
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		cancel()
		return nil, apperr.New(apperr.Unavailable, "the data engine is shutting down")
	}
	e.jobs[sessionID] = job
	e.background.Add(1)
	e.mu.Unlock()
	go func() {
		defer e.background.Done()
		defer cancel()
		t0 := time.Now()
		var p *Profile
		var steps profileSteps
		db, err := ingestDB, error(nil)
		if rows > profileWaitRows {
			if cerr := ingestDB.Close(); cerr != nil {
				e.log.Warn("duck: closing the ingest instance", "err", cerr)
			}
			db, err = e.openWorkDB(ctx, dir, e.budget.profile)
		}
		if err == nil {
			var idx *ValueIndex
			p, idx, err = computeProfile(ctx, db, filepath.Join(dir, parquetName), rows, cols, &steps)
			if err == nil {
				err = writeValueIndex(dir, idx)
			}
			if err == nil {
				err = writeProfile(dir, p)
			}
			if cerr := db.Close(); cerr != nil {
				e.log.Warn("duck: closing the profile instance", "err", cerr)
			}
		}
		grant()
		_ = os.RemoveAll(filepath.Join(dir, tempName))
		if err != nil {
			e.log.Warn("duck: profile after ingest", "session", sessionID, "err", err)
		} else {
			e.log.Debug("duck: profiled", "session", sessionID, "took", time.Since(t0), "steps", steps)
		}
		job.p, job.err = p, err
		e.mu.Lock()
		if e.jobs[sessionID] == job {
			delete(e.jobs, sessionID)
		}
		e.mu.Unlock()
		close(job.done)
	}()
	return job, nil
}

// profileTimeoutRows: the profile's time grows with the rows (every part
// scans them all), and so does its timeout, once per started block.
const profileTimeoutRows = 10_000_000

func (e *Engine) profileTimeout(rows int64) time.Duration {
	return e.cfg.ProfileTimeout * time.Duration(max(1, (rows+profileTimeoutRows-1)/profileTimeoutRows))
}

// stopProfile cancels a session's profile job, if any, and waits for it.
func (e *Engine) stopProfile(sessionID string) {
	e.mu.Lock()
	job := e.jobs[sessionID]
	e.mu.Unlock()
	if job != nil {
		job.cancel()
		<-job.done
	}
}

// Profile returns the profile computed at ingest: it waits for it if it
// is still being computed, and recomputes (and stores) it if it is missing.
func (e *Engine) Profile(ctx context.Context, sessionID string) (*Profile, error) {
	dir, err := e.primaryDir(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if err := e.fetch(ctx, sessionID); err != nil {
		return nil, err
	}
	return e.profileAt(ctx, sessionID, dir)
}

// profileAt is Profile of one dataset directory of the session.
func (e *Engine) profileAt(ctx context.Context, sessionID, dir string) (*Profile, error) {
	var job *profileJob
	if own, _ := e.sessionDir(sessionID); own == dir { // the ingest's job
		e.mu.Lock()
		job = e.jobs[sessionID]
		e.mu.Unlock()
	}
	if job != nil {
		select {
		case <-job.done:
			if job.err == nil {
				return job.p, nil
			}
		case <-ctx.Done():
			return nil, ctxError(ctx.Err())
		}
	}
	if p := readProfile(dir); p != nil {
		return p, nil
	}
	p, _, err := e.reprofile(ctx, sessionID, dir)
	return p, err
}

// readProfile reads the stored profile, nil when it is missing, unreadable
// or of an older version (a dataset ingested before: it is then computed
// again, and nothing is migrated).
func readProfile(dir string) *Profile {
	b, err := os.ReadFile(filepath.Join(dir, profileName))
	if err != nil {
		return nil
	}
	var p Profile
	if err := json.Unmarshal(b, &p); err != nil || p.Version < profileVersion {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, valuesName)); err != nil {
		return nil
	}
	return &p
}

// reprofiling holds a mutex per session directory being profiled again,
// so that concurrent readers of an old session compute it once.
var reprofiling sync.Map // dir → *sync.Mutex

func lockDir(dir string) func() {
	m, _ := reprofiling.LoadOrStore(dir, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// reprofile computes the profile and the value index of a session whose
// stored ones are missing or old, and stores them.
func (e *Engine) reprofile(ctx context.Context, sessionID, dir string) (*Profile, *ValueIndex, error) {
	unlock := lockDir(dir)
	defer unlock()
	if p := readProfile(dir); p != nil { // another caller just did it
		idx, err := readValueIndex(dir)
		if err == nil {
			return p, idx, nil
		}
	}
	out := filepath.Join(dir, parquetName)
	if _, err := os.Stat(out); err != nil {
		return nil, nil, apperr.New(apperr.NotFound, "this session has no data")
	}
	grant, err := e.budget.acquireIngest(ctx)
	if err != nil {
		return nil, nil, ctxError(err)
	}
	defer grant()
	db, err := e.openWorkDB(ctx, dir, e.budget.profile)
	if err != nil {
		return nil, nil, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	defer db.Close()
	defer os.RemoveAll(filepath.Join(dir, tempName))
	rows, cols, err := parquetShape(ctx, db, out)
	if err != nil {
		return nil, nil, profileError(ctx, err)
	}
	pctx, cancel := context.WithTimeout(ctx, e.profileTimeout(rows))
	defer cancel()
	p, idx, err := computeProfile(pctx, db, out, rows, cols, nil)
	if err != nil {
		return nil, nil, profileError(pctx, err)
	}
	if err := writeValueIndex(dir, idx); err != nil {
		e.log.Warn("duck: saving the value index", "session", sessionID, "err", err)
	}
	if err := writeProfile(dir, p); err != nil {
		e.log.Warn("duck: saving profile", "session", sessionID, "err", err)
	}
	return p, idx, nil
}

func profileError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctxError(ctx.Err())
	}
	return apperr.Wrap(apperr.Internal, "could not profile the data", err)
}

// computeProfile scans the Parquet copy: a sample pass for dates and
// numbers written as text, one aggregate pass per batch of columns (exact
// null counts, min/max, moments; distincts and quartiles exact up to
// ExactStatsRows rows; date alignment), a hash pass for duplicates, a
// group-by per text or low-cardinality column for the value index (its
// first values are the top values), then the findings.
// steps, when not nil, receives the time each part took.
func computeProfile(ctx context.Context, db *sql.DB, path string, rows int64, cols []Column, steps *profileSteps) (*Profile, *ValueIndex, error) {
	if steps == nil {
		steps = &profileSteps{}
	}
	lap := steps.start()
	p := &Profile{Version: profileVersion, RowCount: rows, ColumnCount: len(cols), Columns: make([]ColumnProfile, len(cols)), ComputedAt: time.Now().UTC()}
	for i, c := range cols {
		p.Columns[i] = ColumnProfile{Name: c.Name, Type: c.Type, Kind: string(storageOf(c.Type))}
	}
	src := "read_parquet(" + QuoteString(path) + ")"
	if rows > 0 {
		if err := detectTextColumns(ctx, db, src, p.Columns); err != nil {
			return nil, nil, err
		}
	}
	lap(&steps.Text)
	for start := 0; start < len(cols); start += profileBatch {
		end := min(start+profileBatch, len(cols))
		if err := profileBatchStats(ctx, db, src, rows, StatsExact(rows), p.Columns[start:end]); err != nil {
			return nil, nil, err
		}
	}
	for i := range p.Columns {
		c := &p.Columns[i]
		c.Class = classify(c, rows)
		c.NumberRole = numberRole(c)
		if c.Class == KindTemporal && p.TimeColumn == "" && c.DateRange != nil {
			p.TimeColumn = c.Name
		}
	}
	lap(&steps.Stats)
	if rows > 0 && len(cols) > 0 {
		if err := db.QueryRowContext(ctx, "SELECT count(*) - count(DISTINCT hash(t)) FROM "+src+" t").Scan(&p.DuplicateRows); err != nil {
			return nil, nil, err
		}
	}
	lap(&steps.Duplicates)
	idx, err := buildValueIndex(ctx, db, src, p)
	if err != nil {
		return nil, nil, err
	}
	lap(&steps.Values)
	p.Findings = computeFindings(ctx, db, src, p)
	lap(&steps.Findings)
	return p, idx, nil
}

// profileSteps is where a profile's time went, for the log (and the
// benchmark that reads it).
type profileSteps struct {
	Text       time.Duration // dates and numbers stored as text, on a sample
	Stats      time.Duration // the per-column aggregates
	Duplicates time.Duration // the hash of every row
	Values     time.Duration // the value index (and top values)
	Findings   time.Duration
}

// start returns a function that sets *d to the time since the last call.
func (s *profileSteps) start() func(d *time.Duration) {
	t := time.Now()
	return func(d *time.Duration) {
		now := time.Now()
		*d, t = now.Sub(t), now
	}
}

func (s profileSteps) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Duration("text", s.Text), slog.Duration("stats", s.Stats), slog.Duration("duplicates", s.Duplicates),
		slog.Duration("values", s.Values), slog.Duration("findings", s.Findings))
}

// profileBatchStats computes the aggregates of cols; exact: distinct
// counts and quartiles exact, else estimated (and marked Approx).
func profileBatchStats(ctx context.Context, db *sql.DB, src string, rows int64, exact bool, cols []ColumnProfile) error {
	var exprs []string
	type slot struct {
		col   int
		field string
	}
	var slots []slot
	add := func(col int, field, expr string) {
		exprs = append(exprs, expr)
		slots = append(slots, slot{col, field})
	}
	for i := range cols {
		c := &cols[i]
		q := QuoteIdent(c.Name)
		add(i, "nonnull", "count("+q+")")
		st := c.storage()
		if st == storageOther {
			continue
		}
		add(i, "distinct", distinctExpr(q, rows, exact))
		v := c.Expr() // typed values: text dates parsed, text numbers cast
		add(i, "min", "min("+v+")")
		add(i, "max", "max("+v+")")
		numeric := st == storageNumber || c.NumberText
		if numeric {
			add(i, "mean", "avg("+v+")::DOUBLE")
			add(i, "stddev", "stddev_samp("+v+")::DOUBLE")
			add(i, "skewness", "skewness("+v+"::DOUBLE)")
			add(i, "zeros", "count_if("+v+" = 0)")
			if exact {
				add(i, "quantiles", "quantile_cont("+v+"::DOUBLE, [0.25, 0.5, 0.75])")
			} else {
				add(i, "quantiles", "approx_quantile("+v+"::DOUBLE, [0.25, 0.5, 0.75])")
			}
		}
		if st == storageText {
			add(i, "minlen", "min(length("+q+"))")
			add(i, "maxlen", "max(length("+q+"))")
		}
		switch {
		case st == storageDate || c.DateFormat != "" && !strings.Contains(c.DateFormat, "%H"):
			add(i, "g_year", "bool_and(month("+v+") = 1 AND day("+v+") = 1)")
			add(i, "g_month", "bool_and(day("+v+") = 1)")
		case st == storageTimestamp || c.DateFormat != "":
			for _, u := range []string{"day", "hour", "minute", "second"} {
				add(i, "g_"+u, "bool_and("+v+" = date_trunc('"+u+"', "+v+"))")
			}
		}
	}
	vals := make([]any, len(exprs))
	// Exact distinct counts and quartiles keep every value (a hash table,
	// a list) in state that DuckDB's memory_limit does not fully bound:
	// all columns' at once took ~550 MB on 2M rows. Each column's are
	// computed on their own, the rest in one pass.
	groups := map[int][]int{-1: nil}
	for k, sl := range slots {
		g := -1
		if exact && (sl.field == "distinct" || sl.field == "quantiles") {
			g = sl.col
		}
		groups[g] = append(groups[g], k)
	}
	for g := -1; g < len(cols); g++ {
		ks, ok := groups[g]
		if !ok || len(ks) == 0 {
			continue
		}
		sel := make([]string, len(ks))
		ptrs := make([]any, len(ks))
		for j, k := range ks {
			sel[j], ptrs[j] = exprs[k], &vals[k]
		}
		if err := db.QueryRowContext(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+src).Scan(ptrs...); err != nil {
			return err
		}
	}
	gran := make([]map[string]bool, len(cols))
	for k, s := range slots {
		c := &cols[s.col]
		v := vals[k]
		typ := c.Type
		switch {
		case c.NumberText:
			typ = "DOUBLE"
		case c.DateFormat != "" && strings.Contains(c.DateFormat, "%H"):
			typ = "TIMESTAMP"
		case c.DateFormat != "":
			typ = "DATE"
		}
		switch s.field {
		case "nonnull":
			c.NullCount = rows - toInt(v)
		case "distinct":
			c.Distinct = &Stat{Value: float64(toInt(v)), Approx: !exact}
			c.DistinctApprox = toInt(v)
		case "min":
			c.Min = shorten(jsonValue(v, typ))
		case "max":
			c.Max = shorten(jsonValue(v, typ))
		case "mean":
			c.Mean = toFloatPtr(v)
		case "stddev":
			c.Stddev = toFloatPtr(v)
		case "skewness":
			c.Skewness = toFloatPtr(v)
		case "zeros":
			if v != nil {
				n := toInt(v)
				c.Zeros = &n
			}
		case "quantiles":
			if qs, ok := v.([]any); ok && len(qs) == 3 {
				c.Q25, c.Q50, c.Q75 = jsonValue(qs[0], "DOUBLE"), jsonValue(qs[1], "DOUBLE"), jsonValue(qs[2], "DOUBLE")
				if f, ok := toFloat(c.Q50); ok {
					c.Median = &Stat{Value: f, Approx: !exact}
				}
			}
		case "minlen":
			if v != nil {
				n := toInt(v)
				c.MinLength = &n
			}
		case "maxlen":
			if v != nil {
				n := toInt(v)
				c.MaxLength = &n
			}
		default: // g_*
			if gran[s.col] == nil {
				gran[s.col] = map[string]bool{}
			}
			b, _ := v.(bool)
			gran[s.col][strings.TrimPrefix(s.field, "g_")] = b && v != nil
		}
	}
	for i := range cols {
		c := &cols[i]
		st := c.storage()
		if c.DateFormat != "" {
			st = storageDate
			if strings.Contains(c.DateFormat, "%H") {
				st = storageTimestamp
			}
		}
		c.Granularity = granularity(st, gran[i], c.NullCount < rows)
		if c.Granularity != "" {
			from, _ := c.Min.(string)
			to, _ := c.Max.(string)
			c.DateRange = &DateRange{From: from, To: to, Granularity: c.Granularity}
		}
	}
	return nil
}

func granularity(st storage, g map[string]bool, any bool) string {
	if !any {
		return ""
	}
	switch st {
	case storageDate:
		switch {
		case g["year"]:
			return "year"
		case g["month"]:
			return "month"
		}
		return "day"
	case storageTimestamp:
		for _, u := range []string{"day", "hour", "minute", "second"} {
			if g[u] {
				return u
			}
		}
		return "subsecond"
	}
	return ""
}

// detectTextColumns finds text columns holding dates in a format the
// ingest did not convert (ambiguous day/month order, a format of
// DateFormats the ingest leaves alone, a few stray values) or numbers
// ("$1,200", "12%"), on the first TextSampleRows rows: a column qualifies
// when TextParseShare of its non-empty values read (and, for numbers, none
// is a zero-padded code). Dates are tried on the first rows first, then
// only the formats that read those on the whole sample (try_strptime is
// slow when it fails).
func detectTextColumns(ctx context.Context, db *sql.DB, src string, cols []ColumnProfile) error {
	var texts []int
	for i := range cols {
		if cols[i].storage() == storageText && len(texts) < maxTextColumns {
			texts = append(texts, i)
		}
	}
	if len(texts) == 0 {
		return nil
	}
	cand := map[int][]int{}
	for _, i := range texts {
		cand[i] = make([]int, len(DateFormats))
		for f := range DateFormats {
			cand[i][f] = f
		}
	}
	var numbers map[int]textReading
	for step, limit := range []int{datePrefilterRows, TextSampleRows} {
		var exprs, inner []string
		var slots []textSlot
		for _, i := range texts {
			fs := cand[i]
			if step == 1 && len(fs) == 0 && numbers[i] == (textReading{}) {
				continue
			}
			v := "v" + itoa(int64(i))
			inner = append(inner, "NULLIF(trim("+QuoteIdent(cols[i].Name)+"), '') AS "+v)
			for _, k := range textKinds {
				exprs = append(exprs, k.expr(v))
				slots = append(slots, textSlot{i, k.format})
			}
			for _, f := range fs {
				exprs = append(exprs, "count("+yearParse(v, DateFormats[f].Format)+")")
				slots = append(slots, textSlot{i, f})
			}
		}
		if len(exprs) == 0 {
			break
		}
		vals := make([]any, len(exprs))
		ptrs := make([]any, len(exprs))
		for k := range vals {
			ptrs[k] = &vals[k]
		}
		q := "SELECT " + strings.Join(exprs, ", ") + " FROM (SELECT " + strings.Join(inner, ", ") + " FROM " + src + " LIMIT " + itoa(int64(limit)) + ")"
		if err := db.QueryRowContext(ctx, q).Scan(ptrs...); err != nil {
			return err
		}
		next := map[int][]int{}
		numbers = map[int]textReading{}
		counts := map[int]*textCounts{}
		for k, s := range slots {
			c := counts[s.col]
			if c == nil {
				c = &textCounts{}
				counts[s.col] = c
			}
			if s.format < 0 {
				c.set(s.format, vals[k])
				continue
			}
			if c.nonEmpty > 0 && float64(toInt(vals[k])) >= TextParseShare*float64(c.nonEmpty) {
				next[s.col] = append(next[s.col], s.format)
			}
		}
		for col, c := range counts {
			numbers[col] = c.reading(cols[col].Name)
		}
		cand = next
	}
	for _, i := range texts {
		c := &cols[i]
		if fs := cand[i]; len(fs) > 0 {
			c.DateFormat = DateFormats[fs[0]].Format // the first in order of preference
		} else if r := numbers[i]; r.number {
			c.NumberText, c.Unit, c.Duration = true, r.unit, r.duration
		}
	}
	return nil
}

// textSlot is one aggregate of the text detection: a date format (its
// index in DateFormats) or one of textKinds (negative).
type textSlot struct{ col, format int }

// textKinds are the counts taken of each text column besides dates.
var textKinds = []struct {
	format int
	expr   func(v string) string
}{
	{slotNonEmpty, func(v string) string { return "count(" + v + ")" }},
	{slotPlaceholders, func(v string) string { return "count(*) FILTER (WHERE " + placeholderSQL(v) + ")" }},
	{slotNumbers, func(v string) string { return "count(" + Reading{Number: true}.Expr(v) + ")" }},
	{slotZeroPadded, func(v string) string { return "count(*) FILTER (WHERE regexp_matches(" + v + ", '^0[0-9]'))" }},
	{slotDurations, func(v string) string { return "count(" + durationExpr("lower("+v+")") + ")" }},
	{slotDurationShaped, func(v string) string {
		return "count(*) FILTER (WHERE regexp_matches(lower(" + v + "), " + QuoteString(durShaped) + "))"
	}},
	{slotUnits, func(v string) string {
		return "histogram(NULLIF(" + unitOfSQL(v) + ", ''))::VARCHAR"
	}},
	{slotClock, func(v string) string {
		return "count(*) FILTER (WHERE regexp_matches(" + v + ", " + QuoteString(clock2) + "))"
	}},
	{slotShortClock, func(v string) string {
		return "count(*) FILTER (WHERE regexp_matches(" + v + ", " + QuoteString(shortClock) + "))"
	}},
	{slotCompound, func(v string) string {
		return "count(*) FILTER (WHERE regexp_matches(lower(" + v + "), " + QuoteString(compoundMeasure) + "))"
	}},
}

const (
	slotNonEmpty = -1 - iota
	slotPlaceholders
	slotNumbers
	slotZeroPadded
	slotDurations
	slotDurationShaped
	slotUnits
	slotClock
	slotShortClock
	slotCompound
)

// textCounts are one column's counts on the sample.
type textCounts struct {
	nonEmpty, placeholders, numbers, zeroPadded, durations, shaped int64
	// clock: values of two parts without a fraction ("1:45", "15:25"),
	// which are m:ss, h:mm or a time of day; compound: measures in two
	// units ("6 ft 2 in").
	// shortClock: clock values with one digit before the colon ("6:44"),
	// as a track's length writes it and a 24-hour time of day does not.
	clock, shortClock, compound int64
	units                       map[string]int64
}

func (c *textCounts) set(slot int, v any) {
	switch slot {
	case slotNonEmpty:
		c.nonEmpty = toInt(v)
	case slotPlaceholders:
		c.placeholders = toInt(v)
	case slotNumbers:
		c.numbers = toInt(v)
	case slotZeroPadded:
		c.zeroPadded = toInt(v)
	case slotDurations:
		c.durations = toInt(v)
	case slotDurationShaped:
		c.shaped = toInt(v)
	case slotUnits:
		c.units = parseHistogram(v)
	case slotClock:
		c.clock = toInt(v)
	case slotShortClock:
		c.shortClock = toInt(v)
	case slotCompound:
		c.compound = toInt(v)
	}
}

// textReading is what the sample says a text column holds besides dates.
type textReading struct {
	number, duration bool
	unit             string
}

// reading decides for the column named name: TextParseShare of the
// values that are not placeholders must read (and at least one must), as
// durations when some are written as only durations are ("4:25"; "55.14"
// alone is a number), else as plain numbers (none zero-padded: "007" is a
// code), else as numbers followed by one unit that every value writes. A
// wrong reading gives a confident wrong answer, so anything that leaves
// the scale open keeps the column text:
//   - values of only two parts without a fraction ("1:45") are m:ss,
//     h:mm (a film's running time) or a time of day ("15:25"): durations
//     only under a name that says a length (m:ss, as track lists write),
//     or a column named just "Time" whose values all have one digit
//     before the colon ("6:44": a track list; a 24-hour time of day
//     writes "09:30", a film's running time is under "Running time");
//   - a measure in two units ("6 ft 2 in") is not its leading number;
//   - ordinals ("5th") are positions, where the best is the smallest;
//   - "million", "billion" and "thousand" multiply, they are no unit;
//   - a unit column read with one value in another unit ("3.5 million
//     copies" among "N copies") would drop that row from every ranking.
func (c *textCounts) reading(name string) textReading {
	n := c.nonEmpty - c.placeholders
	enough := func(k int64) bool { return n > 0 && k > 0 && float64(k) >= TextParseShare*float64(n) }
	switch {
	case c.shaped > 0 && enough(c.durations):
		if c.clock >= c.shaped && !namesLength(name) && !(isTimeName(name) && c.shortClock == c.clock) {
			return textReading{}
		}
		return textReading{number: true, duration: true}
	case c.zeroPadded > 0 || c.compound > 0:
		return textReading{}
	case enough(c.numbers):
		return textReading{number: true}
	}
	var best string
	var most int64
	for u, k := range c.units {
		if k > most || k == most && u < best {
			best, most = u, k
		}
	}
	if best != "" && most == n && !multiplierUnits[best] && best != "th" {
		return textReading{number: true, unit: best}
	}
	return textReading{}
}

// multiplierUnits are the words after a number that scale it rather than
// name its unit ("$2.9 billion").
var multiplierUnits = map[string]bool{"thousand": true, "million": true, "billion": true, "trillion": true, "bn": true, "mn": true}

// clock2 is a value of two colon-separated parts without a fraction.
const clock2 = `^[0-9]+:[0-5][0-9]$`

// compoundMeasure is a measure written in a unit and its sub-unit ("6 ft
// 2 in", "8 lb 3 oz", "1 m 80 cm"), whose value is not its leading number.
const compoundMeasure = `^[-+]?[0-9][0-9,]*(\.[0-9]+)?\s*(ft|feet|foot|lbs?|pounds?|st|stone|m|metres?|meters?|kg)\.?\s*[0-9][0-9,]*(\.[0-9]+)?\s*(in|inch|inches|oz|ounces?|lbs?|pounds?|cm|g)\b`

// shortClock is a clock value with one digit before the colon.
const shortClock = `^[0-9]:[0-5][0-9]$`

// isTimeName: the column is named just "Time", as track lists and race
// results name a length of time ("Time (ET)", "Kick-off time" are not).
func isTimeName(name string) bool { return strings.EqualFold(strings.TrimSpace(name), "time") }

// namesLength: a column name that says its values are lengths of time
// ("Length", "Duration", "Track length"), which write m:ss.
func namesLength(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "length") || strings.Contains(n, "duration")
}

// parseHistogram reads DuckDB's histogram() written as text: {a=1, b=2}.
// (Units are letters, so neither '=' nor ', ' occurs inside one.)
func parseHistogram(v any) map[string]int64 {
	s, _ := v.(string)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	out := map[string]int64{}
	for _, kv := range strings.Split(s, ", ") {
		k, n, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		if c, err := strconv.ParseInt(n, 10, 64); err == nil {
			out[k] = c
		}
	}
	return out
}

// yearParse parses v with format, NULL when format has a four-digit year
// (%Y) the value does not write: strptime reads "May 31" with "%B %Y" as
// May of the year 31.
func yearParse(v, format string) string {
	parse := "try_strptime(" + v + ", " + QuoteString(format) + ")"
	if !strings.Contains(format, "%Y") {
		return parse
	}
	return "CASE WHEN regexp_matches(" + v + ", '[0-9]{4}') THEN " + parse + " END"
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case uint64:
		return int64(x)
	case int:
		return int64(x)
	case int16:
		return int64(x)
	case uint32:
		return int64(x)
	case *big.Int: // HUGEINT: what count_if returns
		if x != nil && x.IsInt64() {
			return x.Int64()
		}
	}
	return 0
}

func toFloatPtr(v any) *float64 {
	f, ok := v.(float64)
	if !ok || f != f || f > 1.7e308 || f < -1.7e308 {
		return nil
	}
	return &f
}

// shorten cuts long strings (a 10 MB cell is a valid min) to keep the
// profile small.
func shorten(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if r := []rune(s); len(r) > maxProfileString {
		return string(r[:maxProfileString]) + "…"
	}
	return s
}

// distinctExpr counts exactly when exact (up to ExactStatsRows rows):
// HyperLogLog is visibly off (254 for 229). Up to exactListRows a list per
// column is much cheaper than count(DISTINCT), which sets up a hash table
// per column.
func distinctExpr(col string, rows int64, exact bool) string {
	switch {
	case !exact:
		return "approx_count_distinct(" + col + ")"
	case rows <= exactListRows:
		return "length(list_distinct(list(" + col + ")))"
	}
	return "count(DISTINCT " + col + ")"
}
