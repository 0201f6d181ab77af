#!/usr/bin/env bash
# Installs what building and testing Lakemark needs on Debian, only what is missing.
#   scripts/deps.sh build   - C libraries the Swift package links (zlib)
#   scripts/deps.sh test    - the above plus Python packages the tests use as real peers (DuckDB)
set -euo pipefail
mode=${1:-build}

need_apt=()
for pkg in zlib1g-dev pkg-config; do
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

if [ "$mode" = "test" ]; then
  if ! python3 -c 'import duckdb' >/dev/null 2>&1; then
    echo "deps: installing duckdb with pip" >&2
    python3 -m pip install --quiet --disable-pip-version-check duckdb
  fi
fi
