# The README's commands: `make run` starts the app, `make test` runs every test.
# Both work on a fresh machine with Go, gcc and (for the UI tests) Node 20 + npm;
# `make test` installs Debian's chromium for the browser test when it is missing.

GO      ?= go
BIN     ?= ./analyzer
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo none)
DATE    ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)

.PHONY: weed run build test go-test lint web-deps web-build web-test web-dist-check e2e chromium fuzz load bench bench-data clean

run:
	$(GO) run . serve

build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .

test: lint go-test web-test e2e

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...

go-test:
	$(GO) test -count=1 -timeout 40m ./...

web-deps:
	cd web && npm ci --no-audit --no-fund

web-build: web-deps
	cd web && npm run build

web-test: web-deps
	cd web && npm test

# CI rebuilds the UI and fails when the committed web/dist is stale.
web-dist-check: web-build
	@git diff --quiet --exit-code -- web/dist && test -z "$$(git ls-files --others --exclude-standard web/dist)" \
		|| { echo "web/dist is stale: run 'make web-build' and commit web/dist"; git status --short web/dist; exit 1; }

chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

e2e: build web-deps chromium
	cd web && ANALYZER_BIN=$(abspath $(BIN)) npm run e2e

# The ingest-and-query benchmark (BENCHMARKS.md): a seeded CSV of BENCH_ROWS
# rows (~1 GB at the default) under bench/data/, then bench/run against the
# real server, DuckDB alone, the seed's approach and sqlite3. It first waits
# (up to 30 minutes) for the load average to drop below 1.5.
BENCH_ROWS ?= 10000000

bench-data:
	$(GO) run ./bench/gen -rows $(BENCH_ROWS) -out bench/data/bench-$(BENCH_ROWS).csv

bench:
	ROWS=$(BENCH_ROWS) GO=$(GO) sh bench/bench.sh -wait-load 1.5

# Fuzzing, not part of `make test` (whose go-test runs the seed corpora under
# testdata/fuzz/ as ordinary tests): each target for FUZZTIME, the upload
# targets (an ingest per input) for FUZZTIME_SLOW. A failing input is written
# to the package's testdata/fuzz/<Target>/; commit it as a seed.
# Budgets are counts of inputs, not durations: Go 1.26's fuzz coordinator can
# report a spurious "context deadline exceeded" at the end of a timed run
# (golang/go#75804); a count has no deadline to race.
FUZZTIME      ?= 20000x
FUZZTIME_SLOW ?= 2000x
# One worker, and little time minimizing new inputs: spend it fuzzing.
FUZZFLAGS     ?= -parallel=1 -fuzzminimizetime=2s
FUZZ_TARGETS  ?= ./server:FuzzUpload:$(FUZZTIME_SLOW) ./server:FuzzUploadBody:$(FUZZTIME_SLOW) \
	./server:FuzzClientMessage ./server:FuzzTokenParse ./duck:FuzzIsSQL ./duck:FuzzPrescan:$(FUZZTIME_SLOW) \
	./agent/builtin:FuzzParse ./agent/builtin:FuzzTokenize

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; time=$${rest#*:}; \
		[ "$$time" = "$$rest" ] && time=$(FUZZTIME); \
		echo "== $$name ($$pkg, $$time)"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $$time $(FUZZFLAGS); \
	done

# The load run (BENCHMARKS.md, "Load"): the real server on loopback, LOAD_USERS
# users × LOAD_SOCKETS WebSockets held open, LOAD_TURNS chat turns at once, and
# GET /api/sessions against a bare Fiber handler. Each socket takes two file
# descriptors in the one process: `ulimit -n` must exceed 2 × users × sockets.
LOAD_USERS   ?= 100
LOAD_SOCKETS ?= 10
LOAD_TURNS   ?= 50
LOAD_FLAGS   ?=

load:
	@need=$$(( 2 * $(LOAD_USERS) * $(LOAD_SOCKETS) + 512 )); \
	if [ "$$(ulimit -n)" != unlimited ] && [ "$$(ulimit -n)" -lt $$need ]; then ulimit -n $$need 2>/dev/null \
		|| { echo "raise the open-file limit: ulimit -n $$need"; exit 1; }; fi; \
	$(GO) run ./bench/load -users $(LOAD_USERS) -sockets $(LOAD_SOCKETS) -turns $(LOAD_TURNS) $(LOAD_FLAGS)

clean:
	rm -f $(BIN)

# The S3-compatible server the tests run against (filestore/s3test):
# SeaweedFS (Apache-2.0) from the Go module proxy, pinned, built once per
# machine into $(GOPATH)/bin/weed. Its go.mod has replace directives, so
# `go install pkg@version` refuses it: it is built inside its module.
WEED_VERSION ?= v0.0.0-20261109003541-7506e5f91cd6
WEED ?= $(shell $(GO) env GOPATH)/bin/weed

weed:
	@test -x $(WEED) || { \
		dir=$$(cd /tmp && GOFLAGS=-mod=mod $(GO) mod download -json github.com/seaweedfs/seaweedfs@$(WEED_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$$/\1/p'); \
		test -n "$$dir" || { echo "could not download seaweedfs $(WEED_VERSION)"; exit 1; }; \
		echo "building weed $(WEED_VERSION) (once per machine)"; \
		cd "$$dir" && GOFLAGS=-mod=mod $(GO) build -o $(WEED) ./weed; }

# Releases: goreleaser from the Go module proxy, pinned.
GORELEASER_VERSION ?= v2.15.1
GORELEASER ?= $(shell $(GO) env GOPATH)/bin/goreleaser

goreleaser:
	@$(GORELEASER) --version 2>/dev/null | grep -q "$(patsubst v%,%,$(GORELEASER_VERSION))" \
		|| GOFLAGS= $(GO) install github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION)

release-check: goreleaser
	$(GORELEASER) check -f goreleaser.yaml

# The Linux amd64 build of a release, on this machine (the other targets need
# the cross toolchains of goreleaser-cross, see goreleaser.yaml).
release-snapshot: goreleaser
	$(GORELEASER) build --snapshot --clean --single-target -f goreleaser.yaml
