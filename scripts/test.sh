#!/usr/bin/env bash
# Runs every Lakemark test. Installs what the tests need first (zlib headers, DuckDB for Python).
# Tests that want ../shared (sample events, eval sets) skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
# The sentence-embedding model for the Semantic tests (cached; they skip with a message when it is absent).
scripts/fetch_model.sh || echo "test: all-MiniLM-L6-v2 not fetched; the Semantic model tests will skip" >&2
swift build --build-tests
swift test --skip-build "$@"
