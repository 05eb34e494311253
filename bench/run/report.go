package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func durs(ds []time.Duration) string {
	var s []string
	for _, d := range ds {
		s = append(s, secs(d))
	}
	return strings.Join(s, ", ")
}

// printReport writes the Markdown report.
func printReport(w io.Writer, r *report, o options) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }

	var copies, uploads []time.Duration
	for _, c := range r.Copies {
		copies = append(copies, c.Wall)
	}
	var peak int64
	for _, u := range r.Uploads {
		uploads = append(uploads, u.Total)
		peak = max(peak, u.PeakHWM, u.PeakPoll)
	}
	var copyRSS int64
	for _, c := range r.Copies {
		copyRSS = max(copyRSS, c.MaxRSS)
	}
	bc, bu := best(copies), best(uploads)
	ratio := bu.Seconds() / bc.Seconds()

	p("Machine: %d CPUs, %s RAM, DuckDB %s, SQLite %s, %s; commit %s; %s.", r.NProc, mb(r.MemTotal), r.DuckDB, orDash(r.SQLite), r.GoVersion, r.Commit, r.Date)
	p("Load average (1, 5, 15 min) at the start: %s; at the end: %s.", r.LoadStart, r.LoadEnd)
	p("Data: %s, %.1f MB, %d rows, %d columns (%s), %d rows rejected.", baseName(r.CSV), float64(r.CSVBytes)/1e6, r.CSVRows, r.CSVColumns, r.ColumnTypes, r.Rejected)
	p("")
	p("| | Measure | analyzer | DuckDB alone | Ratio | Target | Met |")
	p("|---|---|---:|---:|---:|---|---|")
	p("| (a) | Upload → queryable (`POST /api/upload`, best of %d) vs `COPY (FROM read_csv(f)) TO 'x.parquet' (FORMAT parquet, COMPRESSION zstd)` | %s | %s | %.2f× | ≤ 1.15× | %s |",
		len(uploads), secs(bu), secs(bc), ratio, yes(ratio <= 1.15))
	var peakProfile int64
	for _, h := range r.HWMProfile {
		peakProfile = max(peakProfile, h)
	}
	p("| (b) | Server peak RSS during the upload (VmHWM; DuckDB column: the COPY process). Including the profile computed in the background right after: %s | %s | %s | | ≤ 512 MB | %s |",
		mb(peakProfile), mb(peak), mb(copyRSS), yes(max(peak, peakProfile) <= 512<<20))
	if r.HWMQueries > 0 {
		p("| (b″) | Server peak RSS during the session details and queries (c) and (d) (VmHWM, reset after the uploads) | %s | | | ≤ 512 MB | %s |",
			mb(r.HWMQueries), yes(r.HWMQueries <= 512<<20))
	}
	p("| (c) | `GET /api/sessions/{id}` (session, messages, stored 100-row preview) p50 / p99, n=%d (DuckDB column: `%s` on the Parquet, warm) | %s / %s | %s / %s | %.2f× | p50 ≤ 0.2× | %s |",
		r.Detail.N, previewSQL, msf(r.Detail.P50), msf(r.Detail.P99), msf(r.RawPreview.P50), msf(r.RawPreview.P99),
		r.Detail.P50/r.RawPreview.P50, yes(r.Detail.P50 <= 0.2*r.RawPreview.P50))
	for _, q := range r.Queries {
		p("| (d) | %s: chat message → `query_result` p50, n=%d (DuckDB column: same SQL on the server's Parquet, warm) | %s | %s | %.2f× | ≤ 1.1× + 10 ms = %s | %s |",
			q.Query.Name, q.WS.N, msf(q.WS.P50), msf(q.Raw.P50), q.WS.P50/q.Raw.P50, msf(q.TargetMS), yes(q.TargetMet))
	}
	if r.StartupSessions > 0 {
		p("| (f) | `analyzer serve` → first 200 from `/api/health`, on %d sessions (10 messages each) p50 / max, n=%d | %s / %s | | | ≤ 300 ms | %s |",
			r.StartupSessions, r.Startup.N, msf(r.Startup.P50), msf(r.Startup.Max), yes(r.Startup.P50 <= 300))
	}
	p("")
	p("Peers (e), p50 of each (n=%d for the seed-style and sqlite3 rows):", o.seedReps)
	p("")
	head := "| | Ingest | Preview (100 rows)"
	sep := "|---|---:|---:"
	for _, q := range r.Queries {
		head += " | " + strings.SplitN(q.Query.Name, " ", 2)[0]
		sep += "|---:"
	}
	p("%s |", head)
	p("%s|", sep)
	row := fmt.Sprintf("| analyzer (HTTP upload incl. transfer; `GET /api/sessions/{id}`; WebSocket) | %s | %s", secs(bu), msf(r.Detail.P50))
	for _, q := range r.Queries {
		row += " | " + msf(q.WS.P50)
	}
	p("%s |", row)
	row = fmt.Sprintf("| DuckDB alone (COPY to Parquet; queries on it, one warm connection) | %s | %s", secs(bc), msf(r.RawPreview.P50))
	for _, q := range r.Queries {
		row += " | " + msf(q.Raw.P50)
	}
	p("%s |", row)
	if r.SeedIngest > 0 {
		row = fmt.Sprintf("| seed's approach (DuckDB re-reads the CSV, new connection per request; ingest = count + describe + preview, no transfer) | %s | %s", secs(r.SeedIngest), msf(r.SeedPreview.P50))
		for _, q := range r.Queries {
			row += " | " + msf(q.Seed.P50)
		}
		p("%s |", row)
	}
	if r.SQLiteImport > 0 {
		row = fmt.Sprintf("| sqlite3 `.import` (all columns TEXT, %s file; queries through the shell) | %s | %s", mb(r.SQLiteBytes), secs(r.SQLiteImport), msf(r.SQLitePrev.P50))
		for _, q := range r.Queries {
			row += " | " + msf(q.SQLite.P50)
		}
		p("%s |", row)
	}
	p("")
	p("Details:")
	p("")
	var pairs []string
	for i := range min(len(uploads), len(copies)) {
		pairs = append(pairs, fmt.Sprintf("%.2f×", uploads[i].Seconds()/copies[i].Seconds()))
	}
	p("- Uploads: %s; DuckDB COPYs (defaults), each run just before its upload: %s; ratio of each pair: %s.", durs(uploads), durs(copies), strings.Join(pairs, ", "))
	for _, c := range r.CopyVariants {
		opts := ""
		if c.ReadOpts != "" {
			opts = " and read_csv options `" + c.ReadOpts + "`"
		}
		p("- DuckDB COPY with the engine's settings (`%s`)%s: %s, CPU %s, max RSS %s.", c.Settings, opts, secs(c.Wall), secs(c.CPU), mb(c.MaxRSS))
	}
	for i, u := range r.Uploads {
		il := ingestLog{}
		if i < len(r.Ingest) {
			il = r.Ingest[i]
		}
		c := copyResult{}
		if i < len(r.Copies) {
			c = r.Copies[i]
		}
		p("- Upload %d: body sent after %s; answer after %s; server log: CSV attempts %s, ingest (conversion + shape) %s, so ≈ %s between the end of the body and the start of the conversion plus the profile wait; server CPU %s (DuckDB COPY %d: %s); peak RSS %s (polled %s, before %s); profile ready %s after the answer (took %s), peak RSS with it %s; load before %s.",
			i+1, secs(u.BodySent), secs(u.Total), durs(il.Attempts), secs(il.Ingested),
			secs(u.Total-u.BodySent-il.Ingested), secs(u.ServerCPU), i+1, secs(c.CPU),
			mb(u.PeakHWM), mb(u.PeakPoll), mb(u.RSSBefore), secs(r.ProfileReady[i]), secs(il.Profiled), mb(r.HWMProfile[i]), u.Load)
	}
	if u := r.ReceiveOnly; u != nil {
		p("- Receive only (a file of the same size, refused by the content check right after the transfer): %s, server CPU %s, peak RSS %s.", secs(u.Total), secs(u.ServerCPU), mb(u.PeakHWM))
	}
	p("- Parquet copy: %.1f MB (DuckDB's own: %.1f MB). First detail after the upload (opens the session's instances): %s.",
		float64(r.ParquetBytes)/1e6, float64(firstCopy(r).OutBytes)/1e6, ms(r.FirstPreview))
	p("- Detail: client p50/p90/p99/max %s / %s / %s / %s; server-side (request log) p50/p99 %s / %s. For scale, `GET /api/sessions` (auth, SQLite, JSON, no DuckDB) p50/p99 %s / %s.",
		msf(r.Detail.P50), msf(r.Detail.P90), msf(r.Detail.P99), msf(r.Detail.Max), msf(r.DetailServer.P50), msf(r.DetailServer.P99), msf(r.List.P50), msf(r.List.P99))
	for _, q := range r.Queries {
		p("- %s (%d rows): WebSocket first %s, p50/p90/max %s / %s / %s, engine-reported p50 %s; DuckDB p50/min %s / %s on one warm connection, %s / %s with a new instance per query (as the sandbox does).",
			q.Query.Name, q.Rows, msf(q.FirstWS), msf(q.WS.P50), msf(q.WS.P90), msf(q.WS.Max), msf(q.WSEngine.P50), msf(q.Raw.P50), msf(q.Raw.Min), msf(q.RawFresh.P50), msf(q.RawFresh.Min))
	}
	if r.WSRetries > 0 {
		p("- %d chat messages sent right after the previous turn's `done` were refused (\"a reply is still running\") and sent again; their time counts from the second send.", r.WSRetries)
	}
	p("")
	p("Queries:")
	p("")
	for _, q := range r.Queries {
		p("- %s: `%s`", strings.SplitN(q.Query.Name, " ", 2)[0], q.Query.Duck)
		if q.Query.SQLite != q.Query.Duck {
			p("  (sqlite3: `%s`)", q.Query.SQLite)
		}
	}
}

func firstCopy(r *report) copyResult {
	if len(r.Copies) == 0 {
		return copyResult{}
	}
	return r.Copies[0]
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
