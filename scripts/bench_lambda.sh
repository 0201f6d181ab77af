#!/usr/bin/env bash
# Records/s and cold start of `lakemark lambda` (release) against the loopback Runtime API fake, next to the
# seed's Python Lambda logic on the same events.
#
#   scripts/bench_lambda.sh [CORPUS_MIB] [BATCH_RECORDS]      (defaults: 8 MiB, 1000 records per invocation)
#
# 1. builds a corpus with ../shared/bench/make_corpus.py (replicated real sample events, NDJSON);
# 2. times the seed's Lambda logic on it (../shared/bench/seed_lambda_baseline.py: one core, in process, stubbed
#    mapping) and the seed's start-up (python3 starting and importing the seed module);
# 3. packages the function (scripts/package_lambda.sh) and runs LambdaTests' benchmark on its bootstrap: invocations of BATCH_RECORDS records through the fake (HTTP both ways, real
#    embedded mapping, base64 and JSON in and out), and five cold starts (spawn to the first `next`).
# Set LAKEMARK_SHARED to the reference folder if it is not ../shared.
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-8}
batch=${2:-1000}
shared=${LAKEMARK_SHARED:-../shared}
[ -f "$shared/bench/make_corpus.py" ] || { echo "bench_lambda: $shared/bench not found (set LAKEMARK_SHARED)" >&2; exit 2; }

out=bench/lambda
mkdir -p "$out"
# The binary measured is the deployment package's bootstrap (release, static Swift runtime).
scripts/package_lambda.sh "$out/package" >&2
rm -rf "$out/bootstrap" && mkdir -p "$out/bootstrap"
(cd "$out/bootstrap" && unzip -q "../package/lakemark-lambda-$(uname -m).zip")
corpus=$out/corpus.ndjson
python3 "$shared/bench/make_corpus.py" "$corpus" "$mib" >&2

echo "== seed Lambda logic (one core, in process, stubbed mapping), $batch records per batch"
python3 "$shared/bench/seed_lambda_baseline.py" "$corpus" "$batch" 5
echo "== seed start-up (python3 + imports of the seed module), best of 5"
best=""
for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    python3 - "$shared/bench/seed_lambda_baseline.py" <<'PY' >/dev/null
import importlib.util, sys
spec = importlib.util.spec_from_file_location("seed", sys.argv[1])
spec.loader.exec_module(importlib.util.module_from_spec(spec))
PY
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
echo "seed start-up ${best} ms (interpreter start + import of the seed module)"

echo "== lakemark lambda (the packaged bootstrap) against the fake Runtime API"
LAKEMARK_BENCH_LAMBDA=1 LAKEMARK_BENCH_CORPUS="$PWD/$corpus" LAKEMARK_BENCH_BATCH="$batch" \
    LAKEMARK_BENCH_BINARY="$PWD/$out/bootstrap/bootstrap" \
    swift test ${LAKEMARK_TEST_SCRATCH:+--scratch-path "$LAKEMARK_TEST_SCRATCH"} --filter LambdaBenchmark 2>&1 | grep -E '^bench lambda|SKIP|error|failed'
