#!/usr/bin/env bash
# End-to-end and per-stage benchmark of `lakemark serve` with the local sink.
#
#   scripts/bench.sh [CORPUS_MIB]        (default 256)
#
# 1. builds a corpus with ../shared/bench/make_corpus.py (replicated real sample events, NDJSON);
# 2. times the seed's Lambda logic on the same events (../shared/bench/seed_lambda_baseline.py);
# 3. starts `lakemark serve` (release) on 127.0.0.1 and feeds the corpus with `lakemark send --gzip`, twice:
#    sink on tmpfs (the service's own cost) and on disk (plus the flush latency of this machine's disk);
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

ticks=$(getconf CLK_TCK)

# One end-to-end run: serve with its sink in $1, fed by `lakemark send`; prints a table row per figure.
run_end_to_end() {
  local sink=$1 label=$2 port=18080
  # A new directory (no rm -rf right before: ext4 then searches its recently freed inodes on every create).
  sync  # flush the corpus and earlier output, so the service's syncs do not pay for them
  LAKEMARK_LISTEN=127.0.0.1:$port LAKEMARK_SINK=$sink LAKEMARK_LOG_LEVEL=warning "$bin" serve &
  local pid=$!
  trap "kill $pid 2>/dev/null || true" EXIT
  for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  local cpu_before cpu_after rss_kb summary wall cpu e2e core rps
  cpu_before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  # Requests are built (base64, gzip) before the clock starts, as Firehose is the real client; the summary's
  # seconds are the delivery alone: every request answered 200, so every object is durable.
  summary=$("$bin" send --quiet --prebuild --gzip --concurrency 4 --max-batch-mib 5 \
    --url "http://127.0.0.1:$port/" "$corpus")
  cpu_after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  kill -TERM $pid; wait $pid || true; trap - EXIT
  echo "$summary" | grep -q 'failed: 0' || { echo "bench: requests failed: $summary" >&2; exit 1; }
  wall=$(echo "$summary" | sed -nE 's/.*seconds: ([0-9.]+).*/\1/p')
  cpu=$(echo "($cpu_after - $cpu_before) / $ticks" | bc -l)
  e2e=$(echo "$corpus_bytes / $wall / 1000000" | bc -l)
  core=$(echo "$corpus_bytes / $cpu / 1000000" | bc -l)
  rps=$(echo "$corpus_records / $cpu" | bc -l)
  printf '| %s: wall time | %.2f s | |\n' "$label" "$wall"
  printf '| %s: end-to-end MB/s of record bytes (2 cores, sender included) | %.1f | %.2fx |\n' "$label" "$e2e" \
    "$(echo "$e2e / $seed_mbs" | bc -l)"
  printf '| %s: MB/s of record bytes per core of serve CPU | %.1f | %.2fx |\n' "$label" "$core" \
    "$(echo "$core / $seed_mbs" | bc -l)"
  printf '| %s: records/s per core of serve CPU | %.0f | %.2fx |\n' "$label" "$rps" "$(echo "$rps / $seed_rps" | bc -l)"
  printf '| %s: peak RSS of serve | %s MiB | |\n' "$label" "$((rss_kb / 1024))"
}

printf '\n== end to end: lakemark send --gzip → serve → local sink (%s MiB corpus, %s records)\n' "$mib" "$corpus_records"
printf '| figure | value | vs seed |\n|---|---:|---:|\n'
printf '| seed Lambda logic MB/s (one core, same run) | %s | 1.00x |\n' "$seed_mbs"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  # tmpfs: the service's own cost, without the disk's flush latency
  run_end_to_end "/dev/shm/lakemark-bench-$$" "tmpfs sink"
  rm -rf "/dev/shm/lakemark-bench-$$"
fi
run_end_to_end "$out/lake" "disk sink"

zcat $(find "$out/lake" -name '*.json.gz') > "$out/enriched.ndjson"
enriched_bytes=$(stat -c %s "$out/enriched.ndjson")
gstart=$(date +%s.%N); gzip -1 -c "$out/enriched.ndjson" > /dev/null; gend=$(date +%s.%N)
gzip_mbs=$(echo "$enriched_bytes / ($gend - $gstart) / 1000000" | bc -l)
# gzip -1's rate expressed in record bytes: the corpus bytes whose output it compresses per second.
gzip_record_mbs=$(echo "$gzip_mbs * $corpus_bytes / $enriched_bytes" | bc -l)
printf '| gzip -1 of the output, MB/s of output (of record bytes) | %.1f (%.1f) | |\n' "$gzip_mbs" "$gzip_record_mbs"

printf '\n== per stage (in process, no HTTP)\n'
"$bin" bench-stages "$corpus"
