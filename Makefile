# The README's commands: `make run` starts the app, `make test` runs every test.
# Both work on a fresh machine with Go, gcc and (for the UI tests) Node 20 + npm;
# `make test` installs Debian's chromium for the browser test when it is missing.

GO      ?= go
BIN     ?= ./analyzer
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo none)
DATE    ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)

.PHONY: run build test go-test lint web-deps web-build web-test web-dist-check e2e chromium fuzz bench clean

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
	$(GO) test -count=1 ./...

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

clean:
	rm -f $(BIN)
