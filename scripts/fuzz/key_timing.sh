#!/usr/bin/env bash
# Builds and runs KeyTiming: access-key comparison must take the same time wherever a wrong key differs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
scratch="${LAKEMARK_FUZZ_DIR:-/tmp/lakemark-fuzz}/build-timing"
swift build -c release --package-path "$repo/scripts/fuzz" --scratch-path "$scratch" --product KeyTiming >&2
"$scratch/release/KeyTiming"
