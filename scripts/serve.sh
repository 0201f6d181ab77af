#!/usr/bin/env bash
# Builds Lakemark (release) and runs `lakemark serve` on the embedded defaults:
# listens on 127.0.0.1:8080, maps with the embedded engine, writes gzip NDJSON under ./lake.
# Extra arguments go to `lakemark serve` (e.g. --config config/lakemark.json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
swift build -c release --product lakemark >&2
exec .build/release/lakemark serve "$@"
