package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"time"
)

// errNoServices: PostgreSQL or SeaweedFS could not be started.
var errNoServices = errors.New("the shared services of pg2 did not start")

// compare runs the same workload on each backend in turn, in one run, and
// returns each one's results in order.
func compare(ctx context.Context, cfg Config, logw io.Writer, backends []backend) ([]*Results, error) {
	logf := func(format string, args ...any) { fmt.Fprintf(logw, format+"\n", args...) }
	var svc *sharedServices
	for _, b := range backends {
		if b == backendPG2 && svc == nil {
			s, err := startServices(logf)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", errNoServices, err)
			}
			svc = s
			defer svc.stop()
		}
	}
	// The comparison between backends is the report: the floor on the
	// sessions/bare ratio is the single-instance run's check.
	cfg.MinRatio = 0
	var all []*Results
	var errs []error
	for _, b := range backends {
		logf("== %s", b)
		res, err := runOn(ctx, cfg, logw, b, svc)
		if res != nil {
			all = append(all, res)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", b, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	return all, errors.Join(errs...)
}

func (r *Results) phase(name string) *phase {
	for _, p := range r.Phases {
		if p.Name == name {
			return p
		}
	}
	return &phase{Name: name}
}

func (r *Results) describe() string {
	if r.Backend == backendPG2 {
		return fmt.Sprintf("%s: %d instances, one PostgreSQL database, one S3 bucket (SeaweedFS)", r.Backend, r.Instances)
	}
	return fmt.Sprintf("%s: %d instance, SQLite and the local disk", r.Backend, r.Instances)
}

// printComparison prints each backend's table, then the others' figures
// as ratios to the first's.
func printComparison(w io.Writer, cfg Config, all []*Results) {
	for _, r := range all {
		fmt.Fprintf(w, "\n### %s\n", r.describe())
		r.print(w, cfg)
	}
	if len(all) < 2 {
		return
	}
	base := all[0]
	fmt.Fprintf(w, "\nMachine: %d CPUs, %s. Ratios are to %s (for latencies, above 1 is slower; for throughput, above 1 is faster).\n\n", runtime.NumCPU(), runtime.Version(), base.Backend)
	fmt.Fprint(w, "| Measure |")
	for _, r := range all {
		fmt.Fprintf(w, " %s |", r.Backend)
	}
	for _, r := range all[1:] {
		fmt.Fprintf(w, " %s / %s |", r.Backend, base.Backend)
	}
	fmt.Fprint(w, "\n|---|")
	for range len(all)*2 - 1 {
		fmt.Fprint(w, "---:|")
	}
	fmt.Fprintln(w)
	type measure struct {
		name string
		get  func(*Results) float64
		show func(float64) string
	}
	dur := func(v float64) string { return fmtDur(time.Duration(v)) }
	lat := func(phase string, q float64) measure {
		return measure{fmt.Sprintf("%s p%.0f", phase, q*100), func(r *Results) float64 { return float64(r.phase(phase).percentile(q)) }, dur}
	}
	measures := []measure{
		{"GET /api/sessions throughput", func(r *Results) float64 {
			if r.Sessions == nil {
				return 0
			}
			return r.Sessions.throughput()
		}, func(v float64) string { return fmt.Sprintf("%.0f/s", v) }},
		lat("upload", 0.5), lat("upload", 0.95),
		lat("chat turn", 0.5), lat("chat turn", 0.95),
		lat("list sessions", 0.5), lat("list sessions", 0.95),
		lat("register", 0.5),
		{"errors", func(r *Results) float64 { return float64(r.errors()) }, func(v float64) string { return fmt.Sprintf("%.0f", v) }},
	}
	for _, m := range measures {
		fmt.Fprintf(w, "| %s |", m.name)
		for _, r := range all {
			fmt.Fprintf(w, " %s |", m.show(m.get(r)))
		}
		b := m.get(base)
		for _, r := range all[1:] {
			v := m.get(r)
			switch {
			case m.name == "errors":
				fmt.Fprintf(w, " %+.0f |", v-b)
			case b > 0 && v > 0:
				fmt.Fprintf(w, " %.2f |", v/b)
			default:
				fmt.Fprint(w, " - |")
			}
		}
		fmt.Fprintln(w)
	}
}
