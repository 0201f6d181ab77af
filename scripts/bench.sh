#!/usr/bin/env bash
# End-to-end and per-stage benchmark of `lakemark serve` with the local sink.
#
#   scripts/bench.sh [CORPUS_MIB]        (default 256)
#
# 1. builds a corpus with ../shared/bench/make_corpus.py (replicated real sample events, NDJSON);
# 2. times the seed's Lambda logic on the same events (../shared/bench/seed_lambda_baseline.py);
# 3. starts `lakemark serve` (release) on 127.0.0.1 and feeds the corpus with `lakemark send --gzip`;
#    end-to-end MB/s of record bytes, and records/s per core from the service's CPU time;
# 4. times `gzip -1` of the enriched output (the floor while objects are gzip);
# 5. runs `lakemark bench-stages` on the corpus for the per-stage figures.
# Set LAKEMARK_SHARED to the reference folder if it is not ../shared.
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-256}
shared=${LAKEMARK_SHARED:-../shared}
[ -f "$shared/bench/make_corpus.py" ] || { echo "bench: $shared/bench not found (set LAKEMARK_SHARED)" >&2; exit 2; }

scripts/deps.sh bench
swift build -c release --product lakemark >&2
bin=.build/release/lakemark
out=bench/out
rm -rf "$out" && mkdir -p "$out"
corpus=$out/corpus.ndjson

python3 "$shared/bench/make_corpus.py" "$corpus" "$mib" >&2
corpus_bytes=$(stat -c %s "$corpus")
corpus_records=$(wc -l < "$corpus")

echo "== seed Lambda logic (one core, stubbed mapping, no HTTP, no compression)"
seed=$(python3 "$shared/bench/seed_lambda_baseline.py" "$corpus" 20000 3)
echo "$seed"
seed_mbs=$(echo "$seed" | sed -E 's/.*MB\/s=([0-9.]+).*/\1/')
seed_rps=$(echo "$seed" | sed -E 's/.*records\/s=([0-9.]+).*/\1/')

# Flush the corpus and earlier output first, so the service's fsyncs do not pay for them.
sync
port=18080
LAKEMARK_LISTEN=127.0.0.1:$port LAKEMARK_SINK=$out/lake LAKEMARK_LOG_LEVEL=warning "$bin" serve &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
ticks=$(getconf CLK_TCK)
cpu_before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
start=$(date +%s.%N)
"$bin" send --quiet --gzip --concurrency 2 --max-batch-mib 5 --url "http://127.0.0.1:$port/" "$corpus"
end=$(date +%s.%N)
cpu_after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
kill -TERM $pid; wait $pid || true; trap - EXIT

wall=$(echo "$end - $start" | bc -l)
cpu=$(echo "($cpu_after - $cpu_before) / $ticks" | bc -l)
e2e_mbs=$(echo "$corpus_bytes / $wall / 1000000" | bc -l)
core_mbs=$(echo "$corpus_bytes / $cpu / 1000000" | bc -l)
core_rps=$(echo "$corpus_records / $cpu" | bc -l)

zcat $(find "$out/lake" -name '*.json.gz') > "$out/enriched.ndjson"
enriched_bytes=$(stat -c %s "$out/enriched.ndjson")
gstart=$(date +%s.%N); gzip -1 -c "$out/enriched.ndjson" > /dev/null; gend=$(date +%s.%N)
gzip_mbs=$(echo "$enriched_bytes / ($gend - $gstart) / 1000000" | bc -l)
# gzip -1's rate expressed in record bytes: the corpus bytes whose output it compresses per second.
gzip_record_mbs=$(echo "$gzip_mbs * $corpus_bytes / $enriched_bytes" | bc -l)

printf '\n== end to end: lakemark send --gzip → serve → local sink (%s MiB corpus, %s records)\n' "$mib" "$corpus_records"
printf '| figure | value | vs seed |\n|---|---:|---:|\n'
printf '| wall time | %.2f s | |\n' "$wall"
printf '| end-to-end MB/s of record bytes (2 cores shared with the sender) | %.1f | %.2fx |\n' "$e2e_mbs" \
  "$(echo "$e2e_mbs / $seed_mbs" | bc -l)"
printf '| MB/s of record bytes per core of serve CPU | %.1f | %.2fx |\n' "$core_mbs" "$(echo "$core_mbs / $seed_mbs" | bc -l)"
printf '| records/s per core of serve CPU | %.0f | %.2fx |\n' "$core_rps" "$(echo "$core_rps / $seed_rps" | bc -l)"
printf '| seed Lambda logic MB/s (one core) | %s | 1.00x |\n' "$seed_mbs"
printf '| gzip -1 of the output, MB/s of output (of record bytes) | %.1f (%.1f) | |\n' "$gzip_mbs" "$gzip_record_mbs"
printf '| peak RSS of serve | %s MiB | |\n' "$((rss_kb / 1024))"

printf '\n== per stage (in process, no HTTP)\n'
"$bin" bench-stages "$corpus"
