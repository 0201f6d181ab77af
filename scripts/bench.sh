#!/usr/bin/env bash
# Lakemark's benchmark: one command for the whole table (issue 9).
#
#   scripts/bench.sh [CORPUS_MIB]        (default 1024, about 1 GiB; e.g. 64 for a quick run)
#
# Environment: LAKEMARK_SHARED (the reference folder, default ../shared, else /work/shared), LAKEMARK_SCRATCH (the SwiftPM build
# directory, default .build), LAKEMARK_BENCH_OUT (work and results, default bench/out).
#
# 1. builds a corpus with ../shared/bench/make_corpus.py (the shared sample events replicated, NDJSON);
# 2. times the seed's Lambda logic on it (../shared/bench/seed_lambda_baseline.py: one core, stubbed mapping, no
#    HTTP, no compression): the baseline every ratio is against;
# 3. start-up (spawn of `lakemark serve` → first 200 from /readyz, catalogs loaded, median of 5) and idle RSS;
# 4. end to end: `lakemark send --prebuild --gzip` (requests built before the clock starts, 5 MiB bodies,
#    4 in flight) → `lakemark serve` → local sink, for gzip objects and zstd objects on tmpfs, and gzip objects on
#    disk: MB/s of record bytes (wall, and per core of serve CPU), records/s per core, peak RSS;
# 5. latency (mapping cached by a warm-up, one request at a time) of 1, 5 and 64 MiB bodies, tmpfs sink, and of
#    5 MiB bodies on disk: p50 and p99 as `lakemark send` measures them (request written → response read);
# 6. the floors: `gzip -1` and `zstd -1` of the same output on one core;
# 7. `lakemark bench-stages` (in process, one thread): every stage, and the per-record work;
# 8. the final table: ratios against the seed and the floors, and PASS/FAIL per target of issue 9.
# The tables are also written to $LAKEMARK_BENCH_OUT/table.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-1024}
shared=${LAKEMARK_SHARED:-../shared}
[ -n "${LAKEMARK_SHARED:-}" ] || [ -d "$shared" ] || shared=/work/shared
if [ ! -f "$shared/bench/make_corpus.py" ] || [ ! -f "$shared/bench/seed_lambda_baseline.py" ]; then
  echo "bench: SKIPPED: $shared/bench (make_corpus.py, seed_lambda_baseline.py) not found; set LAKEMARK_SHARED"
  exit 0
fi

scripts/deps.sh bench
scratch=${LAKEMARK_SCRATCH:-.build}
# As the image is built (Dockerfile): Swift runtime and Foundation linked statically; -g so profilers name the code.
swift build -c release --product lakemark --static-swift-stdlib --scratch-path "$scratch" -Xswiftc -g >&2
bin=$scratch/release/lakemark
out=${LAKEMARK_BENCH_OUT:-bench/out}
rm -rf "$out" && mkdir -p "$out"
table=$out/table.md
: > "$table"
shm=""
if [ -d /dev/shm ] && [ -w /dev/shm ]; then shm=$(mktemp -d /dev/shm/lakemark-bench.XXXXXX); fi
pids=()
cleanup() {
  for pid in ${pids[@]+"${pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
  [ -n "$shm" ] && rm -rf "$shm"
}
trap cleanup EXIT
say() { echo "$@" | tee -a "$table"; }
num() { printf '%.*f' "$1" "$2"; }
calc() { echo "$1" | bc -l; }
ge() { [ "$(echo "$1 >= $2" | bc -l)" -eq 1 ]; }
verdict() { if ge "$1" "$2"; then echo PASS; else echo FAIL; fi; }

corpus=$out/corpus.ndjson
python3 "$shared/bench/make_corpus.py" "$corpus" "$mib" >&2
corpus_bytes=$(stat -c %s "$corpus")
corpus_records=$(wc -l < "$corpus")
ticks=$(getconf CLK_TCK)
cores=$(nproc)

# The seed baseline, best of 5 rounds of 20,000 records; run now and again at the end, and the faster run counts
# (the machine is shared: a slow seed run would flatter every ratio).
seed_mbs=0
seed_rps=0
seed_runs=""
run_seed() {
  local line mbs rps
  line=$(python3 "$shared/bench/seed_lambda_baseline.py" "$corpus" 20000 5)
  echo "seed: $line" >&2
  mbs=$(echo "$line" | sed -E 's/.*MB\/s=([0-9.]+).*/\1/')
  rps=$(echo "$line" | sed -E 's/.*records\/s=([0-9.]+).*/\1/')
  seed_runs="$seed_runs $mbs"
  if ge "$mbs" "$seed_mbs"; then seed_mbs=$mbs; seed_rps=$rps; fi
}
run_seed

# Starts `lakemark serve` on $1 (port) with the sink in $2 and format $3; waits for /readyz; sets $serve_pid.
start_serve() {
  env -u LAKEMARK_SCRATCH -u LAKEMARK_BENCH_OUT -u LAKEMARK_SHARED LAKEMARK_LISTEN=127.0.0.1:$1 LAKEMARK_SINK=$2 \
    LAKEMARK_FORMAT=$3 LAKEMARK_LOG_LEVEL=warning "$bin" serve &
  serve_pid=$!
  pids+=("$serve_pid")
  for _ in $(seq 300); do
    curl -fsS "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "bench: serve did not become ready" >&2
  exit 1
}
stop_serve() { kill -TERM "$serve_pid"; wait "$serve_pid" || true; }
serve_cpu() { awk '{print $14 + $15}' "/proc/$serve_pid/stat"; }
peak_rss_kib() { awk '/VmHWM/ {print $2}' "/proc/$serve_pid/status"; }

# Sends $2 to port $1 with extra `lakemark send` options; fails the run unless every request got 200.
send() {
  local port=$1 file=$2
  shift 2
  local summary
  summary=$("$bin" send --quiet --prebuild --gzip --url "http://127.0.0.1:$port/" "$@" "$file")
  echo "$summary" | grep -q 'failed: 0' || { echo "bench: requests failed: $summary" >&2; exit 1; }
  echo "$summary"
}

# The first whole lines of the corpus, about $1 MiB, in $2.
corpus_head() {
  python3 - "$corpus" "$1" "$2" <<'PY'
import sys
data = open(sys.argv[1], "rb").read(int(float(sys.argv[2]) * 1048576))
open(sys.argv[3], "wb").write(data[: data.rfind(b"\n") + 1])
PY
}

say ""
say "## Lakemark benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null || echo '?'), \
$cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))"
say ""
say "Corpus: $corpus_records records, $corpus_bytes bytes of record bytes ($mib MiB, make_corpus.py). MB = 10^6 bytes."

# --- start-up and idle RSS
startup=$(env -u LAKEMARK_SCRATCH -u LAKEMARK_BENCH_OUT -u LAKEMARK_SHARED \
  python3 scripts/bench_startup.py "$bin" 18079 "${shm:-$out}/startup-lake" 5)
startup_ms=$(echo "$startup" | sed -E 's/.*startup_ms=([0-9.]+).*/\1/')
idle_kib=$(echo "$startup" | sed -E 's/.*idle_rss_kib=([0-9]+).*/\1/')
# The same with the sentence-encoder model, as the container image runs (when scripts/fetch_model.sh fetched it).
model=models/all-minilm-l6-v2
model_startup_ms="" model_idle_kib=""
if [ -f "$model/model.safetensors" ]; then
  with_model=$(env -u LAKEMARK_SCRATCH -u LAKEMARK_BENCH_OUT -u LAKEMARK_SHARED LAKEMARK_MODEL_DIR="$PWD/$model" \
    python3 scripts/bench_startup.py "$bin" 18079 "${shm:-$out}/startup-lake" 5)
  model_startup_ms=$(echo "$with_model" | sed -E 's/.*startup_ms=([0-9.]+).*/\1/')
  model_idle_kib=$(echo "$with_model" | sed -E 's/.*idle_rss_kib=([0-9]+).*/\1/')
fi

# --- end to end
say ""
say "### End to end: \`lakemark send --prebuild --gzip --concurrency 4 --max-batch-mib 5\` → \`lakemark serve\`"
say ""
say "| run | wall s | MB/s of record bytes (wall, sender on the same cores) | MB/s per core of serve CPU | \
records/s per core | peak RSS MiB (bound 64 + 3 × 4 × 5) |"
say "|---|---:|---:|---:|---:|---:|"
declare -A per_core per_core_rps
worst_rss_margin=""
run_end_to_end() {
  local label=$1 sink=$2 format=$3 port=18080
  sync  # the corpus and earlier output are flushed, so the service's syncs do not pay for them
  start_serve "$port" "$sink" "$format"
  local before after summary wall cpu e2e core rps rss
  before=$(serve_cpu)
  summary=$(send "$port" "$corpus" --concurrency 4 --max-batch-mib 5)
  after=$(serve_cpu)
  rss=$(peak_rss_kib)
  stop_serve
  wall=$(echo "$summary" | sed -nE 's/.*seconds: ([0-9.]+).*/\1/p')
  cpu=$(calc "($after - $before) / $ticks")
  e2e=$(calc "$corpus_bytes / $wall / 1000000")
  core=$(calc "$corpus_bytes / $cpu / 1000000")
  rps=$(calc "$corpus_records / $cpu")
  per_core[$label]=$core
  local margin=$(((64 + 3 * 4 * 5) * 1024 - rss))  # 4 requests of at most 5 MiB in flight
  if [ -z "$worst_rss_margin" ] || [ "$margin" -lt "$worst_rss_margin" ]; then worst_rss_margin=$margin; fi
  per_core_rps[$label]=$rps
  say "| $label | $(num 2 "$wall") | $(num 1 "$e2e") | $(num 1 "$core") | $(num 0 "$rps") | $((rss / 1024)) |"
}
if [ -n "$shm" ]; then
  run_end_to_end "gzip objects, tmpfs sink" "$shm/lake-gzip" ndjson-gzip
  run_end_to_end "zstd objects, tmpfs sink" "$shm/lake-zstd" ndjson-zstd
  rm -rf "$shm/lake-zstd"
fi
run_end_to_end "gzip objects, disk sink" "$out/lake" ndjson-gzip
gzip_tmpfs=${per_core["gzip objects, tmpfs sink"]:-${per_core["gzip objects, disk sink"]}}
zstd_tmpfs=${per_core["zstd objects, tmpfs sink"]:-0}
[ -n "$shm" ] && rm -rf "$shm/lake-gzip"

# --- latency
say ""
say "### Latency: one request at a time, mapping cached (warm-up first), \`lakemark send\` round trips"
say ""
say "| body limit (\`--max-batch-mib\`) | sink | requests | records per request | body MiB per request | p50 ms | \
p99 ms | max ms | peak RSS MiB | bound 64 MiB + 3 × body MiB |"
say "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
warm=$out/warm.ndjson
corpus_head 16 "$warm"
declare -A p99s
run_latency() {
  local body_mib=$1 sink=$2 label=$3 port=18081 sample=$out/latency.ndjson
  local wanted=$4 # requests wanted
  corpus_head "$(calc "$body_mib * 0.74 * $wanted")" "$sample"
  start_serve "$port" "$sink" ndjson-gzip
  send "$port" "$warm" --concurrency 1 --max-batch-mib "$body_mib" >/dev/null
  local summary requests p50 p99 worst rss records body bound
  summary=$(send "$port" "$sample" --concurrency 1 --max-batch-mib "$body_mib")
  rss=$(peak_rss_kib)
  stop_serve
  requests=$(echo "$summary" | sed -nE 's/.* in ([0-9]+) requests.*/\1/p')
  records=$(( $(wc -l < "$sample") / requests ))
  p50=$(echo "$summary" | sed -nE 's/.*p50 ([0-9.]+).*/\1/p')
  p99=$(echo "$summary" | sed -nE 's/.*p99 ([0-9.]+).*/\1/p')
  worst=$(echo "$summary" | sed -nE 's/.*max ([0-9.]+).*/\1/p')
  # The body (before gzip) is the base64 of the records plus a few bytes each: 10,000 records at most, so the
  # 64 MiB limit is not reached with events of about 1.3 kB.
  body=$(calc "$(stat -c %s "$sample") / $requests * 4 / 3 / 1048576")
  bound=$(calc "64 + 3 * $body")
  p99s["$body_mib $label"]=$p99
  say "| $body_mib MiB | $label | $requests | $records | $(num 1 "$body") | $p50 | $p99 | $worst | $((rss / 1024)) | \
$(num 0 "$bound") |"
  local margin
  margin=$(printf '%.0f' "$(calc "$bound * 1024 - $rss")")
  if [ -z "$worst_rss_margin" ] || [ "$margin" -lt "$worst_rss_margin" ]; then worst_rss_margin=$margin; fi
}
lat_sink=${shm:-$out}
lat_label=$([ -n "$shm" ] && echo tmpfs || echo disk)
scale=$(calc "if ($mib < 1024) $mib / 1024 else 1")
run_latency 1 "$lat_sink/lat1" "$lat_label" "$(calc "x = 200 * $scale; if (x < 20) 20 else x" | cut -d. -f1)"
run_latency 5 "$lat_sink/lat5" "$lat_label" "$(calc "x = 100 * $scale; if (x < 20) 20 else x" | cut -d. -f1)"
run_latency 5 "$out/lat5-disk" disk "$(calc "x = 100 * $scale; if (x < 20) 20 else x" | cut -d. -f1)"
run_latency 64 "$lat_sink/lat64" "$lat_label" "$(calc "x = 8 * $scale; if (x < 2) 2 else x" | cut -d. -f1)"
rm -rf "$lat_sink/lat1" "$lat_sink/lat5" "$lat_sink/lat64" "$out/lat5-disk"

# --- floors: gzip -1 and zstd -1 of the same output, one core
find "$out/lake" -name '*.json.gz' -print0 | sort -z | xargs -0 cat | gzip -dc > "$out/enriched.ndjson"
enriched_bytes=$(stat -c %s "$out/enriched.ndjson")
cat "$out/enriched.ndjson" > /dev/null
floor() {
  local start end
  start=$(date +%s.%N); "$@" < "$out/enriched.ndjson" > "$out/floor.out"; end=$(date +%s.%N)
  echo "$(calc "$end - $start") $(stat -c %s "$out/floor.out")"
}
read -r gzip_s gzip_size <<< "$(floor gzip -1 -c)"
read -r zstd_s zstd_size <<< "$(floor zstd -1 -q -c -T1)"
rm -f "$out/floor.out"
gzip_mbs=$(calc "$enriched_bytes / $gzip_s / 1000000")
zstd_mbs=$(calc "$enriched_bytes / $zstd_s / 1000000")
# A floor's rate in record bytes: the corpus bytes whose output it compresses per second.
gzip_record=$(calc "$gzip_mbs * $corpus_bytes / $enriched_bytes")
zstd_record=$(calc "$zstd_mbs * $corpus_bytes / $enriched_bytes")
lake_gz_bytes=$(find "$out/lake" -name '*.json.gz' -printf '%s\n' | awk '{s += $1} END {print s}')
# The objects' size with zlib's level 1 instead of Lakemark's encoder: what gzip_level 1 costs in storage.
lake_gzip1_bytes=$(find "$out/lake" -name '*.json.gz' -print0 \
  | xargs -0 -I{} sh -c 'gzip -dc "{}" | gzip -1 -c | wc -c' | awk '{s += $1} END {print s}')
say ""
say "### Floors: the same output ($enriched_bytes bytes of enriched NDJSON) compressed on one core"
say ""
say "| tool | MB/s of output | MB/s of record bytes | compressed bytes |"
say "|---|---:|---:|---:|"
say "| \`gzip -1\` | $(num 1 "$gzip_mbs") | $(num 1 "$gzip_record") | $gzip_size |"
say "| \`zstd -1\` | $(num 1 "$zstd_mbs") | $(num 1 "$zstd_record") | $zstd_size |"
say "| Lakemark's gzip objects (gzip_level 1, its greedy encoder; one per partition and request) | | | $lake_gz_bytes |"
say "| the same objects, each recompressed with \`gzip -1\` | | | $lake_gzip1_bytes |"

# --- per stage
stage_mib=$(( mib < 256 ? mib : 256 ))
say ""
say "### Per stage: \`lakemark bench-stages\` on the first $stage_mib MiB (5 MiB bodies, one thread)"
say ""
stages=$("$bin" bench-stages "$corpus" --max-mib "$stage_mib" --write-dir "${shm:-$out}/stages-lake")
rm -rf "${shm:-$out}/stages-lake"
echo "$stages" | grep -v '^per_record_' | tee -a "$table"
per_record=$(echo "$stages" | sed -nE 's/^per_record_mbs=([0-9.]+).*/\1/p')
per_record_rps=$(echo "$stages" | sed -nE 's/.*per_record_rps=([0-9.]+).*/\1/p')

# --- the seed again, then the ratios
run_seed
pipeline_gzip=$(echo "$stages" | sed -nE 's/^\| pipeline with gzip objects[^|]*\| [0-9.]+ \| ([0-9.]+) \|.*/\1/p')
pipeline_zstd=$(echo "$stages" | sed -nE 's/^\| pipeline with zstd objects[^|]*\| [0-9.]+ \| ([0-9.]+) \|.*/\1/p')
say ""
say "### Ratios (MB/s of record bytes per core; seed: best of runs at$seed_runs MB/s = $seed_mbs MB/s, \
$seed_rps records/s)"
say ""
say "| figure | MB/s per core | vs seed | vs \`gzip -1\` | vs \`zstd -1\` |"
say "|---|---:|---:|---:|---:|"
ratio_row() {
  say "| $1 | $(num 1 "$2") | $(num 2 "$(calc "$2 / $seed_mbs")")x | $(num 2 "$(calc "$2 / $gzip_record")")x | \
$(num 2 "$(calc "$2 / $zstd_record")")x |"
}
ratio_row "seed Lambda logic (no compression, no HTTP)" "$seed_mbs"
ratio_row "per-record work (no compression, no I/O), in process" "$per_record"
ratio_row "pipeline with gzip objects, in process" "$pipeline_gzip"
ratio_row "pipeline with zstd objects, in process" "$pipeline_zstd"
for label in "gzip objects, tmpfs sink" "zstd objects, tmpfs sink" "gzip objects, disk sink"; do
  if [ -n "${per_core[$label]:-}" ]; then ratio_row "end to end through HTTP, $label (serve CPU)" "${per_core[$label]}"; fi
done
say "| \`gzip -1\` of the output | $(num 1 "$gzip_record") | | 1.00x | |"
say "| \`zstd -1\` of the output | $(num 1 "$zstd_record") | | | 1.00x |"

# --- targets
p99_5=${p99s["5 $lat_label"]}
idle_mb=$(calc "$idle_kib * 1024 / 1000000")
say ""
say "### Targets (issue 9)"
say ""
say "| target | measured | ratio | result |"
say "|---|---:|---:|---|"
say "| per-record work ≥ 10× the seed per core | $(num 1 "$per_record") MB/s, $(num 0 "$per_record_rps") records/s \
(one core) | $(num 2 "$(calc "$per_record / $seed_mbs")")x | $(verdict "$per_record" "$(calc "10 * $seed_mbs")") |"
say "| end to end, gzip objects ≥ 70 % of \`gzip -1\` (MB/s of record bytes per core) | $(num 1 "$gzip_tmpfs") vs \
$(num 1 "$gzip_record") | $(num 0 "$(calc "100 * $gzip_tmpfs / $gzip_record")") % | \
$(verdict "$gzip_tmpfs" "$(calc "0.7 * $gzip_record")") |"
say "| end to end, zstd objects ≥ 5× the seed (per core of serve CPU) | $(num 1 "$zstd_tmpfs") MB/s | \
$(num 2 "$(calc "$zstd_tmpfs / $seed_mbs")")x (zstd -1 floor: $(num 1 "$zstd_record") MB/s) | \
$(verdict "$zstd_tmpfs" "$(calc "5 * $seed_mbs")") |"
say "| p99 < 50 ms, 5 MiB body, mapping cached, $lat_label sink | $p99_5 ms | | $(verdict 50 "$p99_5") |"
say "| peak RSS ≤ 64 MiB + 3 × in-flight body bytes (every serve run above) | worst margin $((worst_rss_margin / 1024)) MiB | | \
$(verdict "$worst_rss_margin" 0) |"
say "| idle RSS < 30 MB | $(num 1 "$idle_mb") MB | | $(verdict 30 "$idle_mb") |"
say "| start-up < 300 ms (spawn → /readyz 200, catalogs loaded; median of 5) | $startup_ms ms | | \
$(verdict 300 "$startup_ms") |"
if [ -n "$model_startup_ms" ]; then
  model_idle_mb=$(calc "$model_idle_kib * 1024 / 1000000")
  say "| idle RSS < 30 MB, with the model (as the image runs) | $(num 1 "$model_idle_mb") MB | | \
$(verdict 30 "$model_idle_mb") |"
  say "| start-up < 300 ms, with the model loaded (as the image runs) | $model_startup_ms ms | | \
$(verdict 300 "$model_startup_ms") |"
  say ""
  say "(Every throughput and latency run above is the lexical engine: \`serve\` without \`LAKEMARK_MODEL_DIR\`. With \
the model a batch also pays the encoder for each text it has not seen before; cached texts cost the same.)"
else
  say ""
  say "(No model fetched: start-up and idle RSS with the model, as the image runs, were not measured.)"
fi
echo "bench: table written to $table" >&2
