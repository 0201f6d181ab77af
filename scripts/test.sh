#!/usr/bin/env bash
# Runs every Lakemark test. Installs what the tests need first (zlib headers, DuckDB for Python).
# Tests that want ../shared (sample events, eval sets) skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
swift build --build-tests
swift test --skip-build "$@"
