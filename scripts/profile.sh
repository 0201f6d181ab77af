#!/usr/bin/env bash
# Instruction profile of the batch pipeline: callgrind (repeatable instruction counts, unlike timings on a shared
# machine) over `lakemark bench-stages` on a small corpus. Compare the totals between commits to see a regression.
#
#   scripts/profile.sh [CORPUS_MIB]      (default 8)
#
# Prints the total instructions, then the 40 most expensive functions with their callees included.
# Environment: LAKEMARK_SHARED, LAKEMARK_SCRATCH and LAKEMARK_BENCH_OUT as for scripts/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-8}
shared=${LAKEMARK_SHARED:-../shared}
[ -n "${LAKEMARK_SHARED:-}" ] || [ -d "$shared" ] || shared=/work/shared
if [ ! -f "$shared/bench/make_corpus.py" ]; then
  echo "profile: SKIPPED: $shared/bench/make_corpus.py not found; set LAKEMARK_SHARED"
  exit 0
fi
scripts/deps.sh profile
scratch=${LAKEMARK_SCRATCH:-.build}
swift build -c release --product lakemark --static-swift-stdlib --scratch-path "$scratch" -Xswiftc -g >&2
out=${LAKEMARK_BENCH_OUT:-bench/out}/profile
rm -rf "$out" && mkdir -p "$out"
python3 "$shared/bench/make_corpus.py" "$out/corpus.ndjson" "$mib" >&2
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
  "$scratch/release/lakemark" bench-stages "$out/corpus.ndjson" > "$out/stages.txt" 2> "$out/valgrind.txt"
grep -E 'refs' "$out/valgrind.txt"
callgrind_annotate --inclusive=yes "$out/callgrind.out" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | grep -v '=>' \
  | sed -E 's/ \[[^]]*\]$//; s#/[^ ]*/Sources/##' | head -40
echo "profile: callgrind output in $out/callgrind.out (callgrind_annotate, kcachegrind)" >&2
