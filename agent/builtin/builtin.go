// Package builtin is the offline analyst: it answers without any model, by
// reading a question with a small grammar, turning it into SQL over the
// session's data and saying what the rows show. It is deterministic, fast,
// and honest about what it understood: a question outside its grammar gets
// a plain "I can't read that" with examples built from the dataset's real
// columns, never a guess.
//
// auto_analyze gives a first look built on the profile: the shape of the
// data, data-quality alerts, headline facts and the charts that fit.
package builtin

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
)

// Engine is what the analyst needs of the data engine (*duck.Engine).
type Engine interface {
	agent.Engine
	Profile(ctx context.Context, sessionID string) (*duck.Profile, error)
	Values(ctx context.Context, sessionID string) (*duck.ValueIndex, error)
}

var _ Engine = (*duck.Engine)(nil)

// Option configures an Analyst.
type Option func(*Analyst)

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(a *Analyst) {
		if l != nil {
			a.log = l
		}
	}
}

// Analyst is the built-in analyst. It is safe for concurrent use.
type Analyst struct {
	engine    Engine
	changer   agent.Changer // change.go; nil: the data is not changed
	log       *slog.Logger
	maxCharts int

	mu      sync.Mutex
	schemas map[string]cachedSchema // by session
}

type cachedSchema struct {
	key string
	s   *schema
}

var _ agent.Analyst = (*Analyst)(nil)

// maxCachedSchemas bounds the schema cache; it is cleared when full.
const maxCachedSchemas = 256

// New returns the built-in analyst querying through engine.
func New(engine Engine, opts ...Option) *Analyst {
	a := &Analyst{
		engine:    engine,
		log:       slog.New(slog.DiscardHandler),
		maxCharts: 6,
		schemas:   map[string]cachedSchema{},
	}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Info names the analyst.
func (a *Analyst) Info() agent.Info { return agent.Info{Name: "builtin"} }

// Answer answers one turn: an automatic analysis or a question.
func (a *Analyst) Answer(ctx context.Context, req agent.Request, reply *agent.Reply) (agent.Usage, error) {
	o := &out{reply: reply}
	var err error
	switch req.Kind {
	case agent.KindAutoAnalyze:
		err = a.autoAnalyze(ctx, req, o)
	case agent.KindMessage:
		var handled bool
		if handled, err = a.change(ctx, req, o); !handled {
			err = a.question(ctx, req, o)
		}
	default:
		err = apperr.Newf(apperr.Invalid, "unknown request kind %q", req.Kind)
	}
	if ctx.Err() != nil {
		return agent.Usage{}, ctx.Err()
	}
	return agent.Usage{}, err
}

// Title names a session after its first exchange, without any model.
func (a *Analyst) Title(ctx context.Context, req agent.Request) (string, error) {
	stem := fileStem(req.Dataset.Filename)
	text := strings.TrimSpace(req.Text)
	if req.Kind == agent.KindAutoAnalyze || text == "" {
		if stem == "" {
			return "Data overview", nil
		}
		return capTitle(stem + " overview"), nil
	}
	if looksLikeSQL(text) {
		if stem == "" {
			return "SQL query", nil
		}
		return capTitle("SQL query on " + stem), nil
	}
	s := a.cached(req.Dataset)
	if s == nil {
		s = baseSchema(req.Dataset, req.Dataset.Profile)
	}
	if q, perr := parse(text, s); perr == nil {
		if t := titleOf(q, stem); t != "" {
			return capTitle(t), nil
		}
	}
	return capTitle(questionTitle(text)), nil
}

func fileStem(name string) string {
	base := filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if base == "." || base == "/" {
		return ""
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}

func looksLikeSQL(s string) bool {
	f := strings.ToLower(strings.Fields(s + " x")[0])
	switch f {
	case "select", "with", "from", "describe", "summarize", "pivot", "unpivot", "explain", "show", "values", "table":
		return strings.ContainsAny(s, "*(\"") || strings.Contains(strings.ToLower(s), " from ") || f == "describe" || f == "summarize"
	}
	return false
}

// questionTitle shortens a question that the grammar could not read.
func questionTitle(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	q = strings.TrimRight(q, "?!. ")
	words := strings.Fields(q)
	if len(words) > 7 {
		words = words[:7]
	}
	return strings.Join(words, " ")
}

// capTitle upper-cases the first letter and bounds the length.
func capTitle(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r := []rune(s)
	if len(r) > 60 {
		r = append([]rune(strings.TrimSpace(string(r[:59]))), '…')
	}
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}

// ---- schema -----------------------------------------------------------

// baseSchema is the dataset's columns with the profile's statistics, before
// any query.
func baseSchema(ds agent.Dataset, prof *duck.Profile) *schema {
	s := &schema{filename: ds.Filename, rows: ds.RowCount}
	cols := ds.Columns
	if len(cols) == 0 && prof != nil {
		for _, c := range prof.Columns {
			cols = append(cols, duck.Column{Name: c.Name, Type: c.Type})
		}
	}
	byName := map[string]*duck.ColumnProfile{}
	if prof != nil {
		if s.rows <= 0 {
			s.rows = prof.RowCount
		}
		for i := range prof.Columns {
			byName[prof.Columns[i].Name] = &prof.Columns[i]
		}
	}
	for _, dc := range cols {
		c := newColumn(dc.Name, dc.Type)
		if p := byName[dc.Name]; p != nil && s.rows >= 0 {
			c.nonNull = s.rows - p.NullCount
			c.distinct = p.DistinctApprox
			c.numRole = p.NumberRole
			c.dateRange = p.DateRange
			if p.Class != "" {
				c.class = p.Class
			}
			switch {
			case p.DateFormat != "":
				c.dateFmt, c.kind = p.DateFormat, duck.KindTemporal
			case p.NumberText:
				c.numText, c.kind, c.unit, c.dur = true, duck.KindNumeric, p.Unit, p.Duration
			}
			if c.kind == duck.KindText && len(p.TopValues) > 0 {
				var total int64
				vals := map[string]string{}
				for _, tv := range p.TopValues {
					total += tv.Count
					if v, ok := tv.Value.(string); ok && strings.TrimSpace(v) != "" {
						vals[strings.ToLower(strings.TrimSpace(v))] = v
					}
				}
				if total == c.nonNull && len(vals) == len(p.TopValues) {
					c.values = vals
				}
			}
		}
		s.cols = append(s.cols, c)
	}
	return s
}

func schemaKey(ds agent.Dataset, prof *duck.Profile) string {
	k := fmt.Sprintf("%d/%d", ds.RowCount, len(ds.Columns))
	if prof != nil {
		k += "/" + prof.ComputedAt.Format(time.RFC3339Nano)
	}
	return k
}

func (a *Analyst) cached(ds agent.Dataset) *schema {
	a.mu.Lock()
	defer a.mu.Unlock()
	c, ok := a.schemas[ds.SessionID]
	if !ok || c.key != schemaKey(ds, ds.Profile) {
		return nil
	}
	return c.s
}

// schemaFor returns the session's schema: columns, profile statistics and
// what a query found about text columns holding numbers or dates. It is
// cached per session until the data changes.
func (a *Analyst) schemaFor(ctx context.Context, ds agent.Dataset) (*schema, *duck.Profile, error) {
	prof := ds.Profile
	if prof == nil {
		p, err := a.engine.Profile(ctx, ds.SessionID)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			a.log.Warn("builtin: profile", "session", ds.SessionID, "err", err)
		} else {
			prof = p
		}
	}
	key := schemaKey(ds, ds.Profile)
	a.mu.Lock()
	c, ok := a.schemas[ds.SessionID]
	a.mu.Unlock()
	if ok && c.key == key {
		return c.s, prof, nil
	}
	s := baseSchema(ds, prof)
	a.mu.Lock()
	if len(a.schemas) >= maxCachedSchemas {
		clear(a.schemas)
	}
	a.schemas[ds.SessionID] = cachedSchema{key: key, s: s}
	a.mu.Unlock()
	return s, prof, nil
}

// ---- output -------------------------------------------------------------

// out is the analyst's side of the reply: text is streamed and kept as
// one record until something else (a table, a chart) comes, so that a
// reload shows the answer in the order it was given.
type out struct {
	reply *agent.Reply
}

func (o *out) say(s string) { o.reply.Text(s) }

func (o *out) status(msg string) { o.reply.Status(msg) }

func (o *out) result(q *agent.QueryResult) error { return o.reply.Result(q) }

func (o *out) plot(title, sql string, s spec) error {
	points := 0
	if d, ok := s["data"].(spec); ok {
		if v, ok := d["values"].([]any); ok {
			points = len(v)
		}
	}
	return o.reply.Plot(agent.PlotData{Title: title, VegaLiteSpec: s}, agent.PlotMeta{SQL: sql, Points: points})
}
