package config

import (
	"fmt"
	"time"
)

// Defaults of the export bounds (see the README's "Exports").
const (
	DefaultExportMaxRows = 10_000_000
	DefaultExportTimeout = 5 * time.Minute
)

// Exports bounds the full exports of results and datasets.
type Exports struct {
	// MaxRows (ANALYZER_EXPORT_MAX_ROWS) is the most rows one export may
	// have; a bigger result is refused, never cut.
	MaxRows int64
	// Timeout (ANALYZER_EXPORT_TIMEOUT) bounds the query that writes one
	// export.
	Timeout time.Duration
}

func (x *Exports) load(get func(string, string) string) error {
	var err error
	if x.MaxRows, err = int64Var(get, "ANALYZER_EXPORT_MAX_ROWS", DefaultExportMaxRows); err != nil {
		return err
	}
	x.Timeout, err = durationVar(get, "ANALYZER_EXPORT_TIMEOUT", DefaultExportTimeout)
	return err
}

func (x *Exports) validate() error {
	if x.MaxRows < 1 || x.MaxRows > 1_000_000_000 {
		return fmt.Errorf("ANALYZER_EXPORT_MAX_ROWS must be between 1 and 1000000000")
	}
	if x.Timeout < time.Second || x.Timeout > 24*time.Hour {
		return fmt.Errorf("ANALYZER_EXPORT_TIMEOUT must be between 1s and 24h")
	}
	return nil
}
