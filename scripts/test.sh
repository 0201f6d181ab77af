#!/usr/bin/env bash
# Runs every Lakemark test, then the short profile of the reliability suite (scripts/suite.sh).
# Installs what the tests need first (apt and pip packages, see scripts/deps.sh).
# Tests that want ../shared (sample events, eval sets) skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh suite
# The sentence-embedding model for the Semantic tests (cached; they skip with a message when it is absent).
scripts/fetch_model.sh || echo "test: all-MiniLM-L6-v2 not fetched; the Semantic model tests will skip" >&2
swift build --build-tests
swift test --skip-build "$@"
# The reliability suite's short profile (simulator + faults, load, security, fuzzing) on the debug build.
if [ $# -eq 0 ]; then
    scripts/suite.sh --profile short --binary .build/debug/lakemark
fi
