// Command load drives the real server on loopback with bounded loops: N
// users register, upload, list their sessions, hold WebSockets open and
// chat at once; then it measures authenticated GET /api/sessions against a
// bare Fiber JSON handler in the same process and run.
//
//	go run ./bench/load                       # 100 users × 10 sockets, 50 turns
//	go run ./bench/load -users 10 -sockets 2  # a quick look
//	go run ./bench/load -backends sqlite,pg2  # two instances on PostgreSQL and S3 versus one on SQLite
//
// It exits non-zero when any operation failed or the sessions endpoint
// reaches less than -min-ratio of the bare handler's throughput. Each
// socket holds two file descriptors in this process (client and server):
// raise `ulimit -n` above 2 × users × sockets + a few hundred.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	cfg := defaultConfig()
	flag.IntVar(&cfg.Users, "users", cfg.Users, "users that register, upload and chat")
	flag.IntVar(&cfg.Sockets, "sockets", cfg.Sockets, "WebSockets each user holds open at once")
	flag.IntVar(&cfg.Turns, "turns", cfg.Turns, "chat turns run at the same time (one per user, at most -users)")
	flag.IntVar(&cfg.Requests, "requests", cfg.Requests, "GET requests per throughput measurement")
	flag.IntVar(&cfg.Concurrency, "concurrency", cfg.Concurrency, "clients at once for registration, uploads and throughput")
	flag.IntVar(&cfg.Rows, "rows", cfg.Rows, "rows of each user's CSV")
	flag.Float64Var(&cfg.MinRatio, "min-ratio", cfg.MinRatio, "fail below this sessions/bare throughput ratio (0: never)")
	flag.IntVar(&cfg.Heavy, "heavy", cfg.Heavy, "users that each send a memory-heavy query at the same moment (0: none)")
	flag.StringVar(&cfg.HeavyQuery, "heavy-query", cfg.HeavyQuery, "the memory-heavy query")
	flag.StringVar(&cfg.MemoryLimit, "memory-limit", cfg.MemoryLimit, "the server's ANALYZER_MEMORY_LIMIT")
	backends := flag.String("backends", "", "run the workload on each of these deployments in turn and compare them: sqlite (one instance, SQLite and the local disk), pg2 (two instances on one PostgreSQL database and one S3 bucket); e.g. sqlite,pg2")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the throughput measurement to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		defer f.Close()
		cfg.Profile = f
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *backends != "" {
		list, err := parseBackends(*backends)
		if err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(2)
		}
		all, err := compare(ctx, cfg, os.Stderr, list)
		printComparison(os.Stdout, cfg, all)
		if err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	res, err := run(ctx, cfg, os.Stderr)
	if res != nil {
		res.print(os.Stdout, cfg)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}
