#!/usr/bin/env bash
# Scores the embedded mapper (`lakemark map`, release build) on the mapping development sets with
# shared/eval/mapping-dev/score_dev.py and prints one table per set: `lakemark` (in-sample: the bundled
# priors were learned from these labels), `lakemark-ho` (held-out: group-wise K-fold, each text answered
# by an engine whose priors and calibration knots were built without its near-duplicate group), and the
# reference rows `prior`, `bm25` (the scorer's own) and `minilm` (scripts/minilm_baseline.py: all-MiniLM-L6-v2
# cosine over the scorer's BM25 catalog text; PCI over our catalog text; vectors cached, missing ones made by
# `lakemark embed`, the native encoder checked against scripts/minilm_reference.py). The CTID set is scored
# separately: CTID's ATT&CK -> 800-53 pairs reach the engine only through the GuardDuty rows of
# event_priors.tsv, which a technique name never triggers, so its rows are out of sample.
# With the model (models/all-minilm-l6-v2, or --model DIR) the row `lakemark-rr` is the held-out run with the
# semantic re-ranker on (`lakemark map` with LAKEMARK_MODEL_DIR): each fold's catalog directory also gets re-ranker
# artifacts built without that fold (scripts/build_reranker.py --fold), so every text is re-ranked by a scorer,
# prototypes and confidence thresholds that never saw its near-duplicate group. --no-rerank skips it.
#
# Usage: scripts/eval_mapping.sh [--shared DIR] [--no-build] [--no-minilm] [--no-rerank] [--model DIR]
#                                [--folds K] [--set NAME]... [--raw] [-- score_dev.py options]
#   sets: pci_dss_v4 nist_800_53_r5 nist_800_53_r5_ctid nist_csf_v2 iso_27001 soc2 aicpa_tsc (default: all)
#   --raw also prints the scorer's own tables (per source, confidence buckets) for the held-out run.
# The shared folder is --shared, else $LAKEMARK_SHARED, else ../shared next to the repository, else
# /work/shared. Build directory: $LAKEMARK_SCRATCH (default: the repository's .build). The minilm row
# needs models/all-minilm-l6-v2 (scripts/fetch_model.sh) and NumPy + tokenizers; it is skipped otherwise.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
shared=""
build=1
minilm=1
rerank=1
model="$repo/models/all-minilm-l6-v2"
raw=0
folds=5
sets=()
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --shared) shared="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        --no-minilm) minilm=0; shift ;;
        --no-rerank) rerank=0; shift ;;
        --model) model="$2"; shift 2 ;;
        --folds) folds="$2"; shift 2 ;;
        --set|--framework) sets+=("$2"); shift 2 ;;
        --raw) raw=1; shift ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) echo "eval_mapping.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$shared" ]; then
    for candidate in "${LAKEMARK_SHARED:-}" "$repo/../shared" /work/shared; do
        if [ -n "$candidate" ] && [ -f "$candidate/eval/mapping-dev/score_dev.py" ]; then
            shared="$candidate"
            break
        fi
    done
fi
dev="$shared/eval/mapping-dev"
if [ -z "$shared" ] || [ ! -f "$dev/score_dev.py" ]; then
    echo "eval_mapping.sh: skipped: no mapping development sets found (looked in \$LAKEMARK_SHARED," \
        "../shared and /work/shared; pass --shared DIR)"
    exit 0
fi
if [ ${#sets[@]} -eq 0 ]; then
    sets=(pci_dss_v4 nist_800_53_r5 nist_800_53_r5_ctid nist_csf_v2 iso_27001 soc2 aicpa_tsc)
fi

scratch="${LAKEMARK_SCRATCH:-$repo/.build}"
if [ "$build" -eq 1 ]; then
    (cd "$repo" && swift build -c release --scratch-path "$scratch" --product lakemark >&2)
fi
bin="$scratch/release/lakemark"
[ -x "$bin" ] || { echo "eval_mapping.sh: $bin not found (build first)" >&2; exit 2; }
catalogs="$scratch/release/lakemark_Mapping.resources/Catalogs"
[ -f "$catalogs/vocabulary.tsv" ] || { echo "eval_mapping.sh: no catalogs at $catalogs" >&2; exit 2; }
if [ "$rerank" -eq 1 ] && { [ ! -f "$model/model.safetensors" ] || ! python3 -c 'import numpy' 2>/dev/null; }; then
    echo "eval_mapping.sh: lakemark-rr row skipped (no model in $model or no numpy)" >&2
    rerank=0
fi
if [ "$minilm" -eq 1 ] && { [ ! -f "$repo/models/all-minilm-l6-v2/model.safetensors" ] \
    || ! python3 -c 'import numpy, tokenizers' 2>/dev/null; }; then
    echo "eval_mapping.sh: minilm row skipped (no model in models/all-minilm-l6-v2 or no numpy/tokenizers)" >&2
    minilm=0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/lakemark-eval.XXXXXX")
trap 'rm -rf "$work"' EXIT
for ((k = 0; k < folds; k++)); do
    mkdir -p "$work/fold-$k"
    cp "$catalogs"/*.tsv "$work/fold-$k/"
    python3 "$repo/scripts/build_priors.py" --shared "$shared" --fold "$k/$folds" \
        --out "$work/fold-$k/priors.tsv" >/dev/null
    # Calibration knots fitted on the other folds only (scripts/fit_calibration.py).
    echo "fold $k knots: $(python3 "$repo/scripts/fit_calibration.py" --bin "$bin" --catalog-dir "$work/fold-$k" \
        --fold "$k/$folds" --shared "$shared")" >&2
done
if [ "$rerank" -eq 1 ]; then
    # One work directory for every fold: the fold engines' answers and the embeddings are computed once.
    for ((k = 0; k < folds; k++)); do
        python3 "$repo/scripts/build_reranker.py" --bin "$bin" --catalogs "$catalogs" --work "$work/rerank" \
            --model "$model" --shared "$shared" --folds "$folds" --fold "$k" --out "$work/fold-$k/reranker" \
            2>&1 | sed "s/^/fold $k re-ranker: /" >&2
    done
fi
heldout="python3 $repo/scripts/eval_heldout_mapper.py --bin $bin --folds-dir $work --folds $folds --dev-dir $dev"

for set in "${sets[@]}"; do
    as=()
    shopt -s nullglob
    case "$set" in
        nist_800_53_r5) files=("$dev"/nist_800_53_r5.aws-securityhub.jsonl "$dev"/nist_800_53_r5.prowler-*.jsonl) ;;
        nist_800_53_r5_ctid) files=("$dev"/nist_800_53_r5.ctid.jsonl) ;;
        aicpa_tsc) files=("$dev"/soc2.*.jsonl); as=(--framework-as aicpa_tsc) ;;
        *) files=("$dev/$set".*.jsonl) ;;
    esac
    shopt -u nullglob
    if [ ${#files[@]} -eq 0 ]; then
        echo "eval_mapping.sh: no development files for $set" >&2
        continue
    fi
    score() {
        python3 "$dev/score_dev.py" "${files[@]}" --data-dir "$shared/data" ${as[@]+"${as[@]}"} "$@" \
            ${extra[@]+"${extra[@]}"}
    }
    score --cmd "$bin map" --name lakemark --json > "$work/$set.in.json"
    score --cmd "$heldout" --name lakemark-ho --baseline none --json > "$work/$set.ho.json"
    results=("$work/$set.in.json" "$work/$set.ho.json")
    if [ "$rerank" -eq 1 ]; then
        LAKEMARK_MODEL_DIR="$model" score --cmd "$heldout" --name lakemark-rr --baseline none --json \
            > "$work/$set.rr.json"
        results+=("$work/$set.rr.json")
    fi
    if [ "$minilm" -eq 1 ]; then
        score --cmd "python3 $repo/scripts/minilm_baseline.py --shared $shared --swift $bin" --name minilm \
            --baseline none --json > "$work/$set.minilm.json"
        results+=("$work/$set.minilm.json")
    fi
    python3 "$repo/scripts/eval_mapping_table.py" "$set" "${results[@]}"
    if [ "$raw" -eq 1 ]; then
        score --cmd "$heldout" --name lakemark-ho --baseline none
        if [ "$rerank" -eq 1 ]; then
            LAKEMARK_MODEL_DIR="$model" score --cmd "$heldout" --name lakemark-rr --baseline none
        fi
    fi
done
