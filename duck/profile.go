package duck

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/analyzerhq/analyzer/apperr"
)

// Profile summarises a dataset for people and for the agent. Field names
// are part of the API (GET /api/sessions/{id}/profile): keep them stable.
type Profile struct {
	RowCount    int64 `json:"row_count"`
	ColumnCount int   `json:"column_count"`
	// DuplicateRows counts rows identical to an earlier row (compared by a
	// 64-bit hash of the whole row, so exact in practice).
	DuplicateRows int64           `json:"duplicate_rows"`
	Columns       []ColumnProfile `json:"columns"`
	ComputedAt    time.Time       `json:"computed_at"`
}

// ColumnProfile describes one column. Min and Max are JSON values of the
// column's type (dates as ISO strings); number, text and temporal columns
// add the fields of their kind.
type ColumnProfile struct {
	Name           string `json:"name"`
	Type           string `json:"type"` // DuckDB type name
	Kind           string `json:"kind"` // number, text, boolean, date, timestamp, time, other
	NullCount      int64  `json:"null_count"`
	DistinctApprox int64  `json:"distinct_approx"` // HyperLogLog estimate
	Min            any    `json:"min"`
	Max            any    `json:"max"`

	// number
	Mean   *float64 `json:"mean,omitempty"`
	Stddev *float64 `json:"stddev,omitempty"` // sample standard deviation
	Q25    any      `json:"q25,omitempty"`    // approximate quantiles
	Q50    any      `json:"q50,omitempty"`
	Q75    any      `json:"q75,omitempty"`

	// text
	MinLength *int64       `json:"min_length,omitempty"`
	MaxLength *int64       `json:"max_length,omitempty"`
	TopValues []ValueCount `json:"top_values,omitempty"` // most frequent non-null values, text and boolean

	// date, timestamp: the coarsest unit every value is a whole multiple
	// of: year, month, day (dates); day, hour, minute, second, subsecond.
	Granularity string `json:"granularity,omitempty"`
}

// ValueCount is one frequent value and how many rows hold it.
type ValueCount struct {
	Value any   `json:"value"`
	Count int64 `json:"count"`
}

const (
	kindNumber    = "number"
	kindText      = "text"
	kindBoolean   = "boolean"
	kindDate      = "date"
	kindTimestamp = "timestamp"
	kindTime      = "time"
	kindOther     = "other"

	profileBatch     = 250 // columns per aggregate query
	topValuesN       = 5
	maxTopColumns    = 100 // text columns that get top values
	maxProfileString = 200 // runes kept of a text min/max/top value
)

func columnKind(t string) string {
	switch {
	case t == "BOOLEAN":
		return kindBoolean
	case t == "VARCHAR" || strings.HasPrefix(t, "ENUM"):
		return kindText
	case t == "DATE":
		return kindDate
	case strings.HasPrefix(t, "TIMESTAMP"):
		return kindTimestamp
	case strings.HasPrefix(t, "TIME"):
		return kindTime
	case strings.HasPrefix(t, "DECIMAL"), t == "FLOAT", t == "DOUBLE":
		return kindNumber
	}
	switch t {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
		"UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT":
		return kindNumber
	}
	return kindOther
}

// profileJob is a profile being computed in the background after ingest.
type profileJob struct {
	done   chan struct{} // closed when p/err are set
	cancel context.CancelFunc
	p      *Profile
	err    error
}

// startProfile computes the profile on db (the ingest instance, which the
// job now owns and closes, releasing its memory share with grant) and
// stores it as profile.json.
func (e *Engine) startProfile(sessionID, dir string, db *sql.DB, grant func(), rows int64, cols []Column) (*profileJob, error) {
	ctx, cancel := context.WithTimeout(context.Background(), e.cfg.ProfileTimeout)
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
		p, err := computeProfile(ctx, db, filepath.Join(dir, parquetName), rows, cols)
		if err == nil {
			err = writeProfile(dir, p)
		}
		if cerr := db.Close(); cerr != nil {
			e.log.Warn("duck: closing the ingest instance", "err", cerr)
		}
		grant()
		_ = os.RemoveAll(filepath.Join(dir, tempName))
		if err != nil {
			e.log.Warn("duck: profile after ingest", "session", sessionID, "err", err)
		} else {
			e.log.Debug("duck: profiled", "session", sessionID, "took", time.Since(t0))
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
	dir, err := e.sessionDir(sessionID)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	job := e.jobs[sessionID]
	e.mu.Unlock()
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
	b, err := os.ReadFile(filepath.Join(dir, profileName))
	if err == nil {
		var p Profile
		if err := json.Unmarshal(b, &p); err == nil {
			return &p, nil
		}
	}
	out := filepath.Join(dir, parquetName)
	if _, err := os.Stat(out); err != nil {
		return nil, apperr.New(apperr.NotFound, "this session has no data")
	}
	grant, err := e.budget.acquireIngest(ctx)
	if err != nil {
		return nil, ctxError(err)
	}
	defer grant()
	db, err := e.openWorkDB(ctx, dir)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	defer db.Close()
	defer os.RemoveAll(filepath.Join(dir, tempName))
	rows, cols, err := parquetShape(ctx, db, out)
	if err != nil {
		return nil, profileError(ctx, err)
	}
	pctx, cancel := context.WithTimeout(ctx, e.cfg.ProfileTimeout)
	defer cancel()
	p, err := computeProfile(pctx, db, out, rows, cols)
	if err != nil {
		return nil, profileError(pctx, err)
	}
	if err := writeProfile(dir, p); err != nil {
		e.log.Warn("duck: saving profile", "session", sessionID, "err", err)
	}
	return p, nil
}

func profileError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctxError(ctx.Err())
	}
	return apperr.Wrap(apperr.Internal, "could not profile the data", err)
}

// computeProfile scans the Parquet copy: one aggregate pass per batch of
// columns (exact null counts, HyperLogLog distincts, min/max, moments,
// approximate quantiles, date alignment), a hash pass for duplicates, and a
// group-by per text column that is not unique-ish for its top values.
func computeProfile(ctx context.Context, db *sql.DB, path string, rows int64, cols []Column) (*Profile, error) {
	p := &Profile{RowCount: rows, ColumnCount: len(cols), Columns: make([]ColumnProfile, len(cols)), ComputedAt: time.Now().UTC()}
	for i, c := range cols {
		p.Columns[i] = ColumnProfile{Name: c.Name, Type: c.Type, Kind: columnKind(c.Type)}
	}
	src := "read_parquet(" + sqlString(path) + ")"
	for start := 0; start < len(cols); start += profileBatch {
		end := min(start+profileBatch, len(cols))
		if err := profileBatchStats(ctx, db, src, rows, p.Columns[start:end]); err != nil {
			return nil, err
		}
	}
	if rows > 0 && len(cols) > 0 {
		if err := db.QueryRowContext(ctx, "SELECT count(*) - count(DISTINCT hash(t)) FROM "+src+" t").Scan(&p.DuplicateRows); err != nil {
			return nil, err
		}
	}
	tops := 0
	for i := range p.Columns {
		c := &p.Columns[i]
		nonNull := rows - c.NullCount
		if (c.Kind != kindText && c.Kind != kindBoolean) || nonNull == 0 || tops >= maxTopColumns {
			continue
		}
		// Values that are (almost) all different have no "top".
		if c.Kind == kindText && c.DistinctApprox*10 > nonNull*9 {
			continue
		}
		tops++
		tv, err := topValues(ctx, db, src, c.Name)
		if err != nil {
			return nil, err
		}
		c.TopValues = tv
	}
	return p, nil
}

func profileBatchStats(ctx context.Context, db *sql.DB, src string, rows int64, cols []ColumnProfile) error {
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
	for i, c := range cols {
		q := sqlIdent(c.Name)
		add(i, "nonnull", "count("+q+")")
		if c.Kind == kindOther {
			continue
		}
		add(i, "distinct", distinctExpr(q, rows))
		add(i, "min", "min("+q+")")
		add(i, "max", "max("+q+")")
		switch c.Kind {
		case kindNumber:
			add(i, "mean", "avg("+q+")::DOUBLE")
			add(i, "stddev", "stddev_samp("+q+")::DOUBLE")
			add(i, "quantiles", "approx_quantile("+q+", [0.25, 0.5, 0.75])")
		case kindText:
			add(i, "minlen", "min(length("+q+"))")
			add(i, "maxlen", "max(length("+q+"))")
		case kindDate:
			add(i, "g_year", "bool_and(month("+q+") = 1 AND day("+q+") = 1)")
			add(i, "g_month", "bool_and(day("+q+") = 1)")
		case kindTimestamp:
			for _, u := range []string{"day", "hour", "minute", "second"} {
				add(i, "g_"+u, "bool_and("+q+" = date_trunc('"+u+"', "+q+"))")
			}
		}
	}
	vals := make([]any, len(exprs))
	ptrs := make([]any, len(exprs))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := db.QueryRowContext(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+src).Scan(ptrs...); err != nil {
		return err
	}
	gran := make([]map[string]bool, len(cols))
	for k, s := range slots {
		c := &cols[s.col]
		v := vals[k]
		switch s.field {
		case "nonnull":
			c.NullCount = rows - toInt(v)
		case "distinct":
			c.DistinctApprox = toInt(v)
		case "min":
			c.Min = shorten(jsonValue(v, c.Type))
		case "max":
			c.Max = shorten(jsonValue(v, c.Type))
		case "mean":
			c.Mean = toFloatPtr(v)
		case "stddev":
			c.Stddev = toFloatPtr(v)
		case "quantiles":
			if qs, ok := v.([]any); ok && len(qs) == 3 {
				c.Q25, c.Q50, c.Q75 = jsonValue(qs[0], c.Type), jsonValue(qs[1], c.Type), jsonValue(qs[2], c.Type)
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
		cols[i].Granularity = granularity(cols[i].Kind, gran[i], cols[i].NullCount < rows)
	}
	return nil
}

func granularity(kind string, g map[string]bool, any bool) string {
	if !any {
		return ""
	}
	switch kind {
	case kindDate:
		switch {
		case g["year"]:
			return "year"
		case g["month"]:
			return "month"
		}
		return "day"
	case kindTimestamp:
		for _, u := range []string{"day", "hour", "minute", "second"} {
			if g[u] {
				return u
			}
		}
		return "subsecond"
	}
	return ""
}

func topValues(ctx context.Context, db *sql.DB, src, name string) ([]ValueCount, error) {
	q := sqlIdent(name)
	rows, err := db.QueryContext(ctx, "SELECT "+q+", count(*) AS n FROM "+src+" WHERE "+q+
		" IS NOT NULL GROUP BY ALL ORDER BY n DESC, 1 LIMIT "+itoa(topValuesN))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ValueCount
	for rows.Next() {
		var v any
		var n int64
		if err := rows.Scan(&v, &n); err != nil {
			return nil, err
		}
		out = append(out, ValueCount{Value: shorten(jsonValue(v, "")), Count: n})
	}
	return out, rows.Err()
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

// distinctExpr counts exactly when that is cheap: HyperLogLog is visibly
// off on tiny columns (2 values counted as 1). A list per column is much
// cheaper than count(DISTINCT), which sets up a hash table per column.
func distinctExpr(col string, rows int64) string {
	if rows <= exactDistinctRows {
		return "length(list_distinct(list(" + col + ")))"
	}
	return "approx_count_distinct(" + col + ")"
}

const exactDistinctRows = 10_000
