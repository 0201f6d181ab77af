#!/usr/bin/env bash
# Builds the Lambda deployment package: a zip with `bootstrap` (lakemark, release, Swift runtime linked
# statically) and its catalogs (`lakemark_Mapping.resources/`, found next to the executable), for the
# `provided.al2023` runtime.
#
#   scripts/package_lambda.sh [OUT_DIR]            (default .build/lambda)
#
# Produces OUT_DIR/lakemark-lambda-<arch>.zip for this machine's architecture (x86_64 here; arm64 needs an
# aarch64 host or a cross SDK, which this toolchain does not have) and checks the binary for AL2023:
# versioned symbols at or below GLIBC_2.34, GLIBCXX_3.4.29 and OPENSSL_3.0, and every needed shared library one
# of AL2023's (glibc's, libstdc++, libgcc_s, libz, libssl.so.3, libcrypto.so.3) or bundled under lib/ (libzstd.so.1
# and libnghttp2.so.14 from Debian, themselves checked for glibc <= 2.34; Lambda puts /var/task/lib on
# LD_LIBRARY_PATH). OpenBLAS is not linked (the optional sentence encoder opens it at run time). Exits 1 when a check
# fails.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/lambda}
scratch=${LAKEMARK_SCRATCH:-.build/lambda-build}
arch=$(uname -m)
glibc_max=2.34

scripts/deps.sh lambda
# Symbols the Swift runtime takes from glibc > 2.34 and GCC 12's libstdc++ are redirected to their older versions
# (scripts/lambda/glibc_compat.c); the checks below prove nothing newer than AL2023's is left.
mkdir -p "$scratch"
compat="$scratch/glibc_compat.o"
clang -O2 -fPIC -fexceptions -c scripts/lambda/glibc_compat.c -o "$compat"
wait_symbol=_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE
swift build -c release --product lakemark --static-swift-stdlib --scratch-path "$scratch" \
    -Xlinker --wrap=hypot -Xlinker --wrap=hypotf -Xlinker --wrap=$wait_symbol -Xlinker "$(cd "$(dirname "$compat")" && pwd)/$(basename "$compat")" >&2
bin="$scratch/release/lakemark"
resources="$scratch/release/lakemark_Mapping.resources"
[ -f "$resources/Catalogs/vocabulary.tsv" ] || { echo "package_lambda: no catalogs at $resources" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$bin" "$stage/bootstrap"
strip --strip-unneeded "$stage/bootstrap"
cp -R "$resources" "$stage/"
chmod 755 "$stage/bootstrap"
bundled=(libzstd.so.1 libnghttp2.so.14)
mkdir -p "$stage/lib"
for lib in "${bundled[@]}"; do
    cp -L "/usr/lib/$(gcc -print-multiarch)/$lib" "$stage/lib/$lib"
done

status=0
echo "== glibc symbol versions required (AL2023 has glibc $glibc_max), bootstrap and bundled libraries"
versions=$(objdump -T "$stage/bootstrap" "$stage"/lib/*.so.* | grep -o 'GLIBC_[0-9.]*' | sort -u -V)
echo "$versions" | tr '\n' ' '; echo
newest=$(echo "$versions" | tail -1 | sed 's/GLIBC_//')
if [ "$(printf '%s\n%s\n' "$newest" "$glibc_max" | sort -V | tail -1)" != "$glibc_max" ]; then
    echo "package_lambda: needs GLIBC_$newest, newer than AL2023's $glibc_max:" >&2
    objdump -T "$stage/bootstrap" | grep -E "GLIBC_2\.(3[5-9]|[4-9][0-9])" >&2 || true
    status=1
fi
echo "== libstdc++ symbol versions required (AL2023's GCC 11 libstdc++ has up to GLIBCXX_3.4.29)"
cxx=$(objdump -T "$stage/bootstrap" | grep -o 'GLIBCXX_[0-9.]*' | sort -u -V)
echo "$cxx" | tr '\n' ' '; echo
newest_cxx=$(echo "$cxx" | tail -1 | sed 's/GLIBCXX_//')
if [ -n "$newest_cxx" ] && [ "$(printf '%s\n%s\n' "$newest_cxx" 3.4.29 | sort -V | tail -1)" != 3.4.29 ]; then
    echo "package_lambda: needs GLIBCXX_$newest_cxx, newer than AL2023's 3.4.29" >&2
    status=1
fi
echo "== OpenSSL symbol versions required (AL2023 has OpenSSL 3.0)"
objdump -T "$stage/bootstrap" | grep -o 'OPENSSL_[0-9.]*' | sort -u -V | tr '\n' ' '; echo
if objdump -T "$stage/bootstrap" | grep -q 'OPENSSL_3\.[1-9]'; then
    echo "package_lambda: needs OpenSSL newer than 3.0" >&2
    status=1
fi
echo "== shared libraries needed"
needed=$(readelf -d "$stage/bootstrap" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
echo "$needed" | tr '\n' ' '; echo
for lib in $needed; do
    case "$lib" in
        libc.so.6|libm.so.6|libdl.so.2|libpthread.so.0|librt.so.1|libutil.so.1|ld-linux-*.so.*) ;;
        libstdc++.so.6|libgcc_s.so.1|libz.so.1|libssl.so.3|libcrypto.so.3) ;;
        libzstd.so.1|libnghttp2.so.14) ;;  # bundled under lib/
        *) echo "package_lambda: $lib is not known to be on provided.al2023; bundle it under lib/" >&2; status=1 ;;
    esac
done

mkdir -p "$out"
zipfile="$(cd "$out" && pwd)/lakemark-lambda-$arch.zip"
rm -f "$zipfile"
(cd "$stage" && zip -q -r -X "$zipfile" bootstrap lakemark_Mapping.resources lib)
echo "== $zipfile ($(stat -c %s "$zipfile") bytes; bootstrap $(stat -c %s "$stage/bootstrap") bytes)"
exit $status
