#!/bin/sh
# The ingest-and-query benchmark of BENCHMARKS.md ("Ingest and query").
#
#   bench/bench.sh [bench/run flags]            the full run: 10M rows, ~1 GB
#   ROWS=100000 bench/bench.sh -reps 1          a quick one
#
# Generates the seeded CSV under bench/data/ when missing, installs the
# sqlite3 shell (the peer baseline) when missing, then runs bench/run, which
# builds the server from this tree and prints the report.
set -eu
cd "$(dirname "$0")/.."
ROWS=${ROWS:-10000000}
CSV=${CSV:-bench/data/bench-$ROWS.csv}
GO=${GO:-go}

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "bench: installing sqlite3 with apt-get" >&2
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq sqlite3 >/dev/null
fi
if [ ! -f "$CSV" ]; then
	$GO run ./bench/gen -rows "$ROWS" -out "$CSV"
fi
exec $GO run ./bench/run -csv "$CSV" "$@"
