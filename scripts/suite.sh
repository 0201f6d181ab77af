#!/usr/bin/env bash
# Lakemark's reliability suite: Firehose simulator with kill -9, disk-full, S3 and mapping-API faults; load with
# wrk (64-256 connections, overload, 1,000 slow connections, a gzip bomb); security checks; libFuzzer runs.
#
# Usage: scripts/suite.sh [--profile short|long] [--binary PATH] [--only SCENARIO...]
#   short (default, part of scripts/test.sh): ~4 minutes, 200k executions per fuzz target.
#   long (on demand): 5 minutes per fault scenario, 256 connections, 10M executions per fuzz target (hours).
# Without --binary the release build is used (built first). Prints a table and the totals: batches, records,
# lost (0), duplicates (0), faults injected, fuzz executions, crashes (0), p99 latency under load, peak RSS.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
profile=short
binary=""
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --profile) profile="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) extra+=("$1"); shift ;;
    esac
done
scripts/deps.sh suite
if [ -z "$binary" ]; then
    swift build -c release --product lakemark >&2
    binary=.build/release/lakemark
fi
exec python3 scripts/suite/run_suite.py --binary "$binary" --profile "$profile" ${extra[@]+"${extra[@]}"}
