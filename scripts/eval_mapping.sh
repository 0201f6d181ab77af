#!/usr/bin/env bash
# Scores the embedded mapper (`lakemark map`, release build) on the mapping development sets with
# shared/eval/mapping-dev/score_dev.py, one framework at a time; the scorer prints the `prior` and
# `bm25` reference rows next to the `lakemark` row.
#
# Usage: scripts/eval_mapping.sh [--shared DIR] [--no-build] [--framework KEY]... [-- score_dev.py options]
# The shared folder is --shared, else ../shared next to the repository, else $LAKEMARK_SHARED.
# Build directory: $LAKEMARK_SCRATCH (default: the repository's .build).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
shared=""
build=1
frameworks=()
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --shared) shared="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        --framework) frameworks+=("$2"); shift 2 ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "eval_mapping.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$shared" ]; then
    if [ -d "$repo/../shared/eval/mapping-dev" ]; then
        shared="$repo/../shared"
    elif [ -n "${LAKEMARK_SHARED:-}" ]; then
        shared="$LAKEMARK_SHARED"
    fi
fi
dev="$shared/eval/mapping-dev"
if [ -z "$shared" ] || [ ! -f "$dev/score_dev.py" ]; then
    echo "eval_mapping.sh: skipped: no mapping development sets found (looked for ../shared/eval/mapping-dev" \
        "and \$LAKEMARK_SHARED; pass --shared DIR)"
    exit 0
fi
if [ ${#frameworks[@]} -eq 0 ]; then
    frameworks=(pci_dss_v4 nist_800_53_r5 nist_csf_v2 iso_27001 soc2 aicpa_tsc)
fi

scratch="${LAKEMARK_SCRATCH:-$repo/.build}"
if [ "$build" -eq 1 ]; then
    (cd "$repo" && swift build -c release --scratch-path "$scratch" --product lakemark >&2)
fi
bin="$scratch/release/lakemark"
[ -x "$bin" ] || { echo "eval_mapping.sh: $bin not found (build first)" >&2; exit 2; }

for fw in "${frameworks[@]}"; do
    shopt -s nullglob
    files=("$dev/$fw".*.jsonl)
    shopt -u nullglob
    if [ ${#files[@]} -eq 0 ]; then
        echo "eval_mapping.sh: no development files for $fw" >&2
        continue
    fi
    python3 "$dev/score_dev.py" "${files[@]}" --cmd "$bin map" --name lakemark \
        --data-dir "$shared/data" ${extra[@]+"${extra[@]}"}
done
