#!/usr/bin/env bash
# Parquet writer benchmark: ParquetBench (release build) writes N OCSF-like rows (45 leaf columns, lists of
# structs) with zstd, then scripts/parquet_bench.py has pyarrow write the same rows, checks both files hold the same
# table, and prints rows/s, MB/s, the throughput ratio and file sizes against gzip NDJSON.
#   scripts/parquet_bench.sh [ROWS] [ZSTD_LEVEL]      (defaults: 100000 rows, level 3)
# Needs python3 with pyarrow (scripts/deps.sh test installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
level=${2:-3}
scratch=${PARQUET_BENCH_SCRATCH:-.build}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
swift build -c release --product ParquetBench --scratch-path "$scratch" >&2
result=$("$scratch/release/ParquetBench" --rows "$rows" --out "$out" --level "$level")
python3 scripts/parquet_bench.py "$out" "$result" "$level"
