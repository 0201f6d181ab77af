#!/usr/bin/env bash
# Builds Lakemark's libFuzzer harnesses (scripts/fuzz, with -sanitize=fuzzer,address) and runs each one.
#
# Usage: scripts/fuzz.sh [--runs N] [--jobs J] [TARGET...]
#   --runs N   executions per target (default 200000; the long profile uses 10000000)
#   TARGET     FuzzHTTPHead FuzzFirehoseBody FuzzJSONSplice FuzzGzip FuzzBase64 FuzzCloudWatch (default: all)
# Seed corpora are made from the repository's fixtures under $LAKEMARK_FUZZ_DIR (default /tmp/lakemark-fuzz);
# crash inputs are kept there. Prints one line per target: "fuzz TARGET: N runs, C crashes, L leaks, R exec/s".
# Exits 1 when any target crashed or leaked.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=200000
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done
if [ ${#targets[@]} -eq 0 ]; then
    targets=(FuzzHTTPHead FuzzFirehoseBody FuzzJSONSplice FuzzGzip FuzzBase64 FuzzCloudWatch)
fi
work="${LAKEMARK_FUZZ_DIR:-/tmp/lakemark-fuzz}"
scratch="${LAKEMARK_FUZZ_SCRATCH:-$work/build}"
mkdir -p "$work"

for target in "${targets[@]}"; do
    swift build -c release --package-path "$repo/scripts/fuzz" --scratch-path "$scratch" --product "$target" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld >&2
done
python3 "$repo/scripts/fuzz/make_seeds.py" "$repo/Tests/Fixtures/samples" "$work/seeds"

status=0
for target in "${targets[@]}"; do
    corpus="$work/corpus/$target"
    mkdir -p "$corpus" "$work/crashes/$target"
    log="$work/$target.log"
    # Inputs the harness compresses first (gzip, CloudWatch) or round-trips twice are kept shorter.
    case "$target" in
        FuzzGzip|FuzzCloudWatch|FuzzBase64) max_len=4096 ;;
        *) max_len=16384 ;;
    esac
    set +e
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 "$scratch/release/$target" "$corpus" \
        "$work/seeds/$target" -runs="$runs" -max_len=$max_len -rss_limit_mb=2048 -timeout=20 \
        -artifact_prefix="$work/crashes/$target/" -print_final_stats=1 >"$log" 2>&1
    code=$?
    set -e
    executed=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    crashes=$(find "$work/crashes/$target" -name 'crash-*' -newer "$corpus" 2>/dev/null | wc -l)
    leaks=$(grep -c 'ERROR: LeakSanitizer' "$log" || true)
    if [ "$code" -ne 0 ] && [ "$crashes" -eq 0 ] && [ "$leaks" -eq 0 ]; then
        crashes=1
    fi
    echo "fuzz $target: ${executed:-0} runs, $crashes crashes, $leaks leaks, ${speed:-0} exec/s"
    if [ "$crashes" -ne 0 ] || [ "$leaks" -ne 0 ]; then
        status=1
        grep -m5 -E 'ERROR|invariant broken|Fatal error' "$log" >&2 || true
    fi
    touch "$corpus"
done
exit $status
