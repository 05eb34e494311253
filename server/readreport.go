package server

import (
	"encoding/json"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

// readReport is how the data engine read a CSV, as the upload's answer and
// the session's file describe it: the dataset card shows Notes ("read as
// Windows-1252", "2 lines above the header skipped"), and the counts say
// what was changed on the way in.
type readReport struct {
	Encoding        string      `json:"encoding,omitempty"`
	SkippedLines    int64       `json:"skipped_lines"`
	Skipped         []duck.Skip `json:"skipped,omitempty"`
	ReplacedBytes   int64       `json:"replaced_bytes"`
	RemovedNULBytes int64       `json:"removed_nul_bytes"`
	PaddedRows      bool        `json:"padded_rows,omitempty"`
	Notes           []string    `json:"notes,omitempty"`
}

// storedReport is the part of readReport kept as JSON in the file row
// (encoding and skipped lines have columns of their own).
type storedReport struct {
	Skipped         []duck.Skip `json:"skipped,omitempty"`
	ReplacedBytes   int64       `json:"replaced_bytes,omitempty"`
	RemovedNULBytes int64       `json:"removed_nul_bytes,omitempty"`
	PaddedRows      bool        `json:"padded_rows,omitempty"`
	Notes           []string    `json:"notes,omitempty"`
}

// recordReport copies the engine's report into the file row.
func recordReport(f *storage.File, ds *duck.Dataset) {
	f.Encoding, f.SkippedLines = ds.Encoding, ds.SkippedLines
	f.ReadReport = storage.MustJSON(storedReport{
		Skipped:         ds.Skipped,
		ReplacedBytes:   ds.ReplacedBytes,
		RemovedNULBytes: ds.RemovedNULs,
		PaddedRows:      ds.PaddedRows,
		Notes:           ds.Notes,
	})
}

// fileReport reads the report back from a file row; a row stored before
// reports were kept has none.
func fileReport(f *storage.File) (readReport, error) {
	r := readReport{Encoding: f.Encoding, SkippedLines: f.SkippedLines}
	if len(f.ReadReport) == 0 {
		return r, nil
	}
	var s storedReport
	if err := json.Unmarshal(f.ReadReport, &s); err != nil {
		return r, err
	}
	r.Skipped, r.ReplacedBytes, r.RemovedNULBytes, r.PaddedRows, r.Notes = s.Skipped, s.ReplacedBytes, s.RemovedNULBytes, s.PaddedRows, s.Notes
	return r, nil
}
