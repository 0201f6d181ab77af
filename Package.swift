// swift-tools-version: 6.1
import PackageDescription

/// Lakemark: a Firehose HTTP endpoint that maps security events to compliance controls.
///
/// The targets follow the pipeline: HTTP → Firehose decoding → text extraction → mapping →
/// enrichment (splice) → sink. `Pipeline` wires them; `lakemark` is the thin executable.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "lakemark",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lakemark", targets: ["lakemark"]),
        // The parsers, codecs and splicer, for the libFuzzer harnesses in scripts/fuzz (a separate package).
        .library(name: "LakemarkParsers", targets: ["HTTPCore", "JSONBytes", "Codecs", "Firehose", "Enrichment"]),
    ],
    targets: [
        // System libraries (Debian packages).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // x86-64 SIMD kernels for Codecs (CRC-32 by carry-less multiplication, base64 decoding with SSSE3),
        // written with the compiler's intrinsics and chosen at run time.
        .systemLibrary(name: "CSIMDKernels"),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // libssl for the TLS target (separate from COpenSSL so that AWSSigning links libcrypto only).
        .systemLibrary(name: "COpenSSLTLS", pkgConfig: "libssl", providers: [.apt(["libssl-dev"])]),
        // OpenBLAS for the sentence encoder's dense layers (runtime dispatch to the CPU's widest SIMD): headers
        // only (libopenblas-dev); the library is opened with dlopen when an encoder is created.
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        // Linux epoll and eventfd headers (part of libc; Glibc's module map leaves them out).
        .systemLibrary(name: "CLinux"),
        // HTTP/2 framing, HPACK and flow control for the HTTP2Client target.
        .systemLibrary(name: "CNGHTTP2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),

        // Leaf support: logging, locks, environment, UTC time.
        .target(name: "ServiceSupport", swiftSettings: swiftSettings),
        // Prometheus counters, gauges, histograms and the text exposition format. No dependencies.
        .target(name: "Metrics", swiftSettings: swiftSettings),
        // Byte-level JSON: tape parser, writer, splice helpers. No dependencies.
        .target(name: "JSONBytes", dependencies: ["CSIMDKernels"], swiftSettings: swiftSettings),
        // Base64, gzip (inflate with caps, deflate) and zstd (libzstd frames, capped decompression).
        .target(name: "Codecs", dependencies: ["CZlib", "CZstd", "CSIMDKernels"], swiftSettings: swiftSettings),
        // Parquet file writer: Thrift compact footer, Dremel shredding, dictionary/PLAIN pages, gzip/zstd.
        .target(name: "Parquet", dependencies: ["Codecs"], swiftSettings: swiftSettings),
        // HTTP/1.1 vocabulary and parsers, no I/O.
        .target(name: "HTTPCore", swiftSettings: swiftSettings),
        // HTTP/1.1 server on POSIX sockets with a bounded worker pool, optionally over TLS (libssl).
        .target(
            name: "HTTPServer",
            dependencies: ["HTTPCore", "CLinux", "COpenSSLTLS"],
            swiftSettings: swiftSettings
        ),
        // Blocking HTTP/1.1 client (keep-alive, timeouts).
        .target(name: "HTTPClient", dependencies: ["HTTPCore"], swiftSettings: swiftSettings),
        // Blocking HTTP/2 client: many concurrent streams on one connection (libnghttp2), transport-agnostic.
        .target(
            name: "HTTP2Client",
            dependencies: ["CNGHTTP2", "HTTPClient", "HTTPCore"],
            swiftSettings: swiftSettings
        ),
        // Firehose HTTP endpoint protocol: request decoding, records, CloudWatch Logs envelopes, responses.
        .target(name: "Firehose", dependencies: ["JSONBytes", "Codecs", "CSIMDKernels"], swiftSettings: swiftSettings),
        // Text and partition metadata pulled out of events.
        .target(name: "Extraction", dependencies: ["JSONBytes", "ServiceSupport"], swiftSettings: swiftSettings),
        // Embedded compliance mapping engine and the /v1/map contract.
        .target(
            name: "Mapping",
            dependencies: ["JSONBytes", "ServiceSupport"],
            resources: [.copy("Catalogs")],
            swiftSettings: swiftSettings
        ),
        // OCSF class schemas (generated, pinned), converters from raw sources, validation and shredding.
        .target(
            name: "OCSF",
            dependencies: ["JSONBytes", "ServiceSupport", "Extraction"],
            resources: [.copy("Schemas")],
            swiftSettings: swiftSettings
        ),
        // Splicing `secberus_compliance` into the original bytes.
        .target(name: "Enrichment", dependencies: ["JSONBytes"], swiftSettings: swiftSettings),
        // Durable object stores: the local directory sink.
        .target(name: "Sink", dependencies: ["ServiceSupport", "CLinux"], swiftSettings: swiftSettings),
        // Firehose client used by `lakemark send`.
        .target(
            name: "Sender",
            dependencies: ["JSONBytes", "Codecs", "HTTPCore", "HTTPClient", "Firehose", "TLS", "ServiceSupport"],
            swiftSettings: swiftSettings
        ),
        // Lambda Runtime API client (custom runtimes): next invocation, response, invocation and init errors.
        .target(
            name: "LambdaRuntime",
            dependencies: ["HTTPClient", "HTTPCore", "JSONBytes"],
            swiftSettings: swiftSettings
        ),
        // Configuration and wiring of the whole service.
        .target(
            name: "Pipeline",
            dependencies: [
                "ServiceSupport", "JSONBytes", "Codecs", "HTTPCore", "HTTPServer", "Firehose",
                "Extraction", "Mapping", "Enrichment", "Sink", "HTTPClient", "AWSCredentialChain", "RemoteMapping",
                "S3", "AWSSigning", "TLS", "Metrics", "LambdaRuntime", "Semantic", "OCSF", "Parquet", "CLinux",
            ],
            swiftSettings: swiftSettings
        ),
        // AWS Signature Version 4 and the libcrypto primitives it needs, no I/O.
        .target(name: "AWSSigning", dependencies: ["COpenSSL"], swiftSettings: swiftSettings),
        // TLS 1.2+ client transport for HTTPClient over OpenSSL libssl, with HTTP CONNECT proxies.
        .target(name: "TLS", dependencies: ["COpenSSLTLS", "HTTPClient", "HTTPCore"], swiftSettings: swiftSettings),
        // S3 client (SigV4, standard retries, multipart) and the S3 object sink.
        .target(
            name: "S3",
            dependencies: ["AWSSigning", "HTTPClient", "HTTPCore", "TLS", "Sink"],
            swiftSettings: swiftSettings
        ),
        // AWS credential chain (env, web identity, profiles, container, IMDS), STS, Secrets Manager.
        .target(
            name: "AWSCredentialChain",
            dependencies: ["AWSSigning", "HTTPClient", "HTTPCore", "JSONBytes", "ServiceSupport"],
            swiftSettings: swiftSettings
        ),
        // Client of the remote compliance-mapping API: chunked parallel calls, retries, circuit breaker, cache.
        .target(
            name: "RemoteMapping",
            dependencies: [
                "Mapping", "HTTPClient", "HTTP2Client", "TLS", "HTTPCore", "JSONBytes", "AWSCredentialChain",
                "ServiceSupport",
            ],
            swiftSettings: swiftSettings
        ),
        // Native all-MiniLM-L6-v2 sentence embeddings (WordPiece, 6-layer BERT on OpenBLAS + SIMD); weights from
        // scripts/fetch_model.sh. Optimised in debug builds too: unoptimised SIMD loops are ~100x slower.
        .target(
            name: "Semantic",
            dependencies: ["COpenBLAS"],
            swiftSettings: swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .executableTarget(name: "lakemark", dependencies: ["Pipeline", "Sender"], swiftSettings: swiftSettings),
        // S3 sink throughput measurement, driven by scripts/s3_throughput.py.
        .executableTarget(
            name: "S3Bench",
            dependencies: ["S3", "Sink", "AWSCredentialChain"],
            swiftSettings: swiftSettings
        ),
        // Parquet writer throughput on an OCSF-like schema, driven by scripts/parquet_bench.sh (against pyarrow).
        .executableTarget(name: "ParquetBench", dependencies: ["Parquet", "Codecs"], swiftSettings: swiftSettings),

        // Loopback peers for the TLS and S3 tests: processes, sockets, a CONNECT proxy, a throw-away PKI.
        .target(name: "NetworkTestSupport", path: "Tests/NetworkTestSupport"),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "HTTPClient", "HTTPCore", "NetworkTestSupport"]),
        .testTarget(
            name: "S3Tests",
            dependencies: [
                "S3", "Sink", "TLS", "AWSSigning", "HTTPClient", "HTTPCore", "Pipeline", "Sender", "Codecs",
                "JSONBytes", "ServiceSupport", "NetworkTestSupport",
            ]
        ),
        .testTarget(name: "JSONBytesTests", dependencies: ["JSONBytes", "NetworkTestSupport"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"]),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs", "CZlib", "NetworkTestSupport"]),
        .testTarget(
            name: "ParquetTests",
            dependencies: ["Parquet", "Codecs", "NetworkTestSupport"],
            exclude: ["parquet_reader.py"]
        ),
        .testTarget(name: "HTTPTests", dependencies: ["HTTPCore", "HTTPServer", "HTTPClient"]),
        .testTarget(name: "FirehoseTests", dependencies: ["Firehose", "JSONBytes", "Codecs", "NetworkTestSupport"]),
        .testTarget(name: "ExtractionTests", dependencies: ["Extraction", "JSONBytes", "ServiceSupport"]),
        .testTarget(name: "MappingTests", dependencies: ["Mapping", "NetworkTestSupport"]),
        .testTarget(
            name: "SemanticTests", dependencies: ["Semantic", "Mapping", "NetworkTestSupport"], exclude: ["Fixtures"]
        ),
        .testTarget(name: "EnrichmentTests", dependencies: ["Enrichment", "JSONBytes", "NetworkTestSupport"]),
        .testTarget(name: "OCSFTests", dependencies: ["OCSF", "JSONBytes", "Extraction", "NetworkTestSupport"]),
        .testTarget(
            name: "SecurityLakeTests",
            dependencies: [
                "Pipeline", "OCSF", "Parquet", "Sink", "S3", "Codecs", "JSONBytes", "HTTPClient", "HTTPCore",
                "ServiceSupport", "AWSSigning", "NetworkTestSupport",
            ]
        ),
        .testTarget(name: "SinkTests", dependencies: ["Sink"]),
        .testTarget(
            name: "AWSSigningTests",
            dependencies: ["AWSSigning", "NetworkTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ServiceSupportTests", dependencies: ["ServiceSupport"]),
        .testTarget(
            name: "AWSCredentialChainTests",
            dependencies: ["AWSCredentialChain", "AWSSigning", "HTTPCore", "HTTPClient", "ServiceSupport"],
            exclude: ["moto_peer.py"]
        ),
        .testTarget(name: "SenderTests", dependencies: ["Sender", "JSONBytes", "Codecs", "NetworkTestSupport"]),
        .testTarget(name: "DeployTests", dependencies: ["Pipeline", "HTTPClient", "NetworkTestSupport"]),
        .testTarget(
            name: "RemoteMappingTests",
            dependencies: [
                "RemoteMapping", "Mapping", "Pipeline", "Sender", "HTTPServer", "HTTPClient", "HTTPCore", "JSONBytes",
                "Codecs", "AWSCredentialChain", "ServiceSupport", "Extraction", "HTTP2Client", "TLS",
                "NetworkTestSupport",
            ],
            exclude: ["fake_mapping_api_h2.py"]
        ),
        .testTarget(
            name: "LambdaTests",
            dependencies: [
                "LambdaRuntime", "Pipeline", "HTTPServer", "HTTPClient", "HTTPCore", "JSONBytes", "Codecs",
                "NetworkTestSupport",
            ]
        ),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "Sender", "HTTPClient", "HTTPCore", "Codecs", "JSONBytes", "Firehose", "Sink",
                "ServiceSupport", "NetworkTestSupport", "HTTPServer",
            ]
        ),
    ]
)
