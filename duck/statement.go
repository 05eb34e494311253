package duck

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/duckdb/duckdb-go/v2/mapping"

	"github.com/analyzerhq/analyzer/apperr"
)

// parser splits SQL text into statements with DuckDB's own parser, on an
// empty in-memory instance that can reach nothing: parsing never binds or runs.
//
// It talks to the C API directly because database/sql (and the driver's
// PrepareContext) would execute every statement but the last of a
// multi-statement string; here "SELECT 1; COPY ..." is only counted.
type parser struct {
	mu   sync.Mutex
	db   mapping.Database
	conn mapping.Connection
	done bool
}

func newParser() (*parser, error) {
	var cfg mapping.Config
	if mapping.CreateConfig(&cfg) == mapping.StateError {
		return nil, errors.New("duck: parser config")
	}
	defer mapping.DestroyConfig(&cfg)
	for _, kv := range [][2]string{
		{"enable_external_access", "false"},
		{"autoinstall_known_extensions", "false"},
		{"autoload_known_extensions", "false"},
		{"threads", "1"},
		{"memory_limit", "64MB"},
	} {
		if mapping.SetConfig(cfg, kv[0], kv[1]) == mapping.StateError {
			return nil, errors.New("duck: parser config " + kv[0])
		}
	}
	p := &parser{}
	var msg string
	if mapping.OpenExt("", &p.db, cfg, &msg) == mapping.StateError {
		mapping.Close(&p.db)
		return nil, errors.New("duck: parser open: " + msg)
	}
	if mapping.Connect(p.db, &p.conn) == mapping.StateError {
		mapping.Close(&p.db)
		return nil, errors.New("duck: parser connect")
	}
	return p, nil
}

// count returns how many statements text holds, or DuckDB's syntax error.
func (p *parser) count(text string) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return 0, apperr.New(apperr.Unavailable, "the data engine is shutting down")
	}
	var stmts mapping.ExtractedStatements
	n := mapping.ExtractStatements(p.conn, text, &stmts)
	defer mapping.DestroyExtracted(&stmts)
	if n == 0 {
		if msg := mapping.ExtractStatementsError(stmts); msg != "" {
			return 0, &duckdb.Error{Type: duckdb.ErrorTypeParser, Msg: msg}
		}
		return 0, nil
	}
	return int(n), nil
}

func (p *parser) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.done = true
	mapping.Disconnect(&p.conn)
	mapping.Close(&p.db)
}

// IsSQL reports whether text is exactly one SQL statement as DuckDB's parser
// sees it: "SELECT * FROM data" and "FROM data LIMIT 3" are, "show me the top
// 10" is not. It does not say the statement is allowed; Query decides that.
func (e *Engine) IsSQL(ctx context.Context, text string) bool {
	text = strings.TrimSpace(text)
	if text == "" || len(text) > e.cfg.MaxQueryBytes || ctx.Err() != nil {
		return false
	}
	return e.oneStatement(text) == nil
}

// oneStatement checks that text is one statement as DuckDB parses it.
//
// A PIVOT without an IN list parses into several statements: DuckDB first
// creates an ENUM of the pivot values. Such text is still one statement
// for the user, and only then does it fit in a subquery: "SELECT 1;
// SELECT 2" nested in "SELECT * FROM (...)" is a syntax error. The extra
// statements run on the query's throwaway instance.
func (e *Engine) oneStatement(text string) error {
	n, err := e.parser.count(text)
	if err != nil {
		return queryError(err, nil, newScrubber(e.dataDir), e.cfg.QueryTimeout)
	}
	if n == 1 {
		return nil
	}
	if n > 1 {
		if _, err := e.parser.count("SELECT * FROM (\n" + trimStatement(text) + "\n)"); err == nil {
			return nil
		}
	}
	return apperr.New(apperr.Invalid, "send exactly one SQL statement at a time")
}

// readOnly lists the statement types a sandbox query may have. DESCRIBE,
// SHOW, SUMMARIZE and PIVOT are SELECTs once parsed; an EXPLAIN is allowed
// when what it explains is a SELECT (see explainable). Everything else (COPY, ATTACH, SET, PRAGMA, CALL,
// CREATE, DROP, INSTALL/LOAD, EXPORT, PREPARE/EXECUTE, ...) is refused.
var readOnly = map[duckdb.StmtType]bool{
	duckdb.STATEMENT_TYPE_SELECT:  true,
	duckdb.STATEMENT_TYPE_EXPLAIN: true,
}

// statementType prepares text (exactly one statement, checked before) on
// conn and returns DuckDB's statement type. Preparing binds but runs nothing.
func statementType(ctx context.Context, conn *sql.Conn, text string) (duckdb.StmtType, error) {
	var t duckdb.StmtType
	err := withPrepared(ctx, conn, text, func(s *duckdb.Stmt) error {
		var err error
		t, err = s.StatementType()
		return err
	})
	return t, err
}

// withPrepared prepares text with the driver's own statement (binding,
// running nothing), hands it to fn and closes it: the statement type and
// the result's columns are only known there.
func withPrepared(ctx context.Context, conn *sql.Conn, text string, fn func(*duckdb.Stmt) error) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*duckdb.Conn)
		if !ok {
			return errors.New("duck: unexpected driver connection")
		}
		st, err := c.PrepareContext(ctx, text)
		if err != nil {
			return err
		}
		defer st.Close()
		s, ok := st.(*duckdb.Stmt)
		if !ok {
			return errors.New("duck: unexpected driver statement")
		}
		return fn(s)
	})
}
