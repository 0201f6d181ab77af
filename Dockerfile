# Lakemark container image: build with the Swift toolchain, run on slim Debian as a non-root user.
#   docker build -t lakemark .
#   docker run -p 8080:8080 -v "$PWD/lake:/data/lake" lakemark
FROM swift:6.1-bookworm AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends zlib1g-dev libssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
RUN swift build -c release --product lakemark --static-swift-stdlib \
    && mkdir -p /out \
    && cp .build/release/lakemark /out/ \
    && cp -R .build/release/lakemark_Mapping.resources /out/

FROM debian:bookworm-slim
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends zlib1g libssl3 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data lakemark \
    && mkdir -p /data/lake && chown -R lakemark /data
COPY --from=build /out/ /opt/lakemark/
ENV LAKEMARK_LISTEN=0.0.0.0:8080 \
    LAKEMARK_SINK=/data/lake \
    LAKEMARK_CATALOG_DIR=/opt/lakemark/lakemark_Mapping.resources/Catalogs
USER lakemark
EXPOSE 8080
VOLUME ["/data/lake"]
ENTRYPOINT ["/opt/lakemark/lakemark"]
CMD ["serve"]
