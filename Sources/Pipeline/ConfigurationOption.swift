import Extraction
import Mapping
import S3

/// One configuration option: its JSON file key, its environment variables, default, unit and meaning,
/// and how a value is applied. ``all`` is the single reference the README table is generated from.
public struct ConfigurationOption: Sendable {
    /// A value as read from the file or the environment.
    public enum Value: Sendable, Equatable {
        /// A JSON string, or any environment variable.
        case string(String)
        /// A JSON number, as written.
        case number(String)
        /// A JSON Boolean.
        case bool(Bool)
        /// A JSON array of strings.
        case list([String])
    }

    /// The key in the JSON configuration file, e.g. `listen`.
    public let key: String
    /// Environment variables that set it, strongest last (e.g. `LAKEMARK_LISTEN`).
    public let environment: [String]
    /// The default, as written in the reference.
    public let defaultValue: String
    /// The unit or the allowed values.
    public let unit: String
    /// What it does.
    public let summary: String
    /// Applies a value to a configuration; throws ``ConfigurationError`` naming the option.
    let apply: @Sendable (inout Configuration, Value) throws -> Void

    /// Every option `serve` understands, in reference order.
    public static let all: [ConfigurationOption] =
        [
            .init(
                "listen",
                ["LAKEMARK_LISTEN"],
                "127.0.0.1:8080",
                "host:port",
                "Address to listen on; containers use 0.0.0.0:8080."
            ) {
                let (host, port) = try parseListen($1, key: "listen")
                $0.listenHost = host
                $0.listenPort = port
            },
            .init("ingest_path", ["LAKEMARK_INGEST_PATH"], "/", "path", "Path Firehose posts batches to.") {
                let path = try string($1, key: "ingest_path")
                guard path.hasPrefix("/"), !path.contains("?") else {
                    throw ConfigurationError(.invalidValue, key: "ingest_path", "must start with / and have no query")
                }
                guard !["/healthz", "/readyz", "/metrics", "/v1/map", "/v1/frameworks"].contains(path) else {
                    throw ConfigurationError(
                        .invalidValue,
                        key: "ingest_path",
                        "\(path) is one of the service's own paths"
                    )
                }
                $0.ingestPath = path
            },
            .init(
                "access_keys",
                ["LAKEMARK_ACCESS_KEYS"],
                "(none)",
                "comma-separated list, or a JSON array of strings; each key 8-4096 bytes",
                "Accepted X-Amz-Firehose-Access-Key values (two during rotation); unset accepts every request (serve "
                    + "then listens on loopback only, see allow_unauthenticated), an empty value is refused. Keys that "
                    + "contain commas need the JSON array form."
            ) {
                $0.accessKeys = try accessKeys(keyList($1, key: "access_keys"), key: "access_keys")
            },
            .init(
                "access_keys_file",
                ["LAKEMARK_ACCESS_KEYS_FILE"],
                "(none)",
                "file path",
                "File holding the accepted keys instead of access_keys (one per line, comma-separated, or a JSON "
                    + "array); read again within 5 s of a change, so keys rotate without a restart."
            ) {
                $0.accessKeysFile = try string($1, key: "access_keys_file")
            },
            .init(
                "allow_unauthenticated",
                ["LAKEMARK_ALLOW_UNAUTHENTICATED"],
                "false",
                "true or false",
                "Lets serve listen beyond loopback without access_keys, when something in front authenticates; "
                    + "otherwise that start is refused."
            ) {
                $0.allowUnauthenticated = try bool($1, key: "allow_unauthenticated")
            },
            .init(
                "sink",
                ["LAKEMARK_SINK"],
                "./lake",
                "directory, file:// URL or s3://bucket/prefix",
                "Where batches are written; s3:// uses the s3_* options and the AWS credential chain (see \"S3 sink\")."
            ) {
                $0.sink = try parseSink(try string($1, key: "sink"))
            },
        ] + s3Options + [
            .init(
                "source_name",
                ["LAKEMARK_SOURCE_NAME"],
                "(event kind)",
                "[A-Za-z0-9._-]{1,64}",
                "Fixed <source> segment of object keys instead of the detected event kind."
            ) {
                let name = try string($1, key: "source_name")
                guard ObjectKeyBuilder.isSafeSegment(name) else {
                    throw ConfigurationError(.invalidValue, key: "source_name", "use 1-64 of A-Z a-z 0-9 . _ -")
                }
                $0.sourceName = name
            },
        ] + securityLakeOptions + [
            .init(
                "frameworks",
                ["SECBERUS_FRAMEWORKS"],
                "pci_dss_v4,nist_800_53_r5",
                "comma-separated: pci_dss_v4 nist_800_53_r5 nist_csf_v2 iso_27001 soc2 aicpa_tsc",
                "Frameworks every event is mapped to."
            ) {
                let frameworks = try list($1, key: "frameworks")
                guard !frameworks.isEmpty else {
                    throw ConfigurationError(.invalidValue, key: "frameworks", "name at least one framework")
                }
                if let unknown = frameworks.first(where: { FrameworkID(rawValue: $0) == nil }) {
                    let allowed = FrameworkID.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ConfigurationError(
                        .invalidValue,
                        key: "frameworks",
                        "unknown framework \"\(unknown)\"; allowed: \(allowed)"
                    )
                }
                // A framework named twice is mapped once; the start-up line shows what is in force.
                $0.frameworks = frameworks.reduce(into: []) { kept, name in
                    if !kept.contains(name) { kept.append(name) }
                }
            },
            .init(
                "min_similarity",
                ["SECBERUS_MIN_SIMILARITY"],
                "(none)",
                "0.01-1.0",
                "Keep controls at or above this similarity; excludes min_confidence. Without the model the embedded "
                    + "engine's similarities stay near 0.5 (0.3 Low, 0.5 Medium, 0.7 High)."
            ) {
                $0.threshold = .minSimilarity(try double($1, key: "min_similarity", in: 0.01...1.0))
            },
            .init(
                "min_confidence",
                ["SECBERUS_MIN_CONFIDENCE"],
                "Low",
                "High, Medium, Low, Very Low",
                "Keep controls at or above this confidence (Low when neither threshold is set); excludes "
                    + "min_similarity."
            ) {
                let level = try string($1, key: "min_confidence")
                let levels = ["High", "Medium", "Low", "Very Low"]
                guard let match = levels.first(where: { $0.lowercased() == level.lowercased() }) else {
                    throw ConfigurationError(
                        .invalidValue,
                        key: "min_confidence",
                        "allowed: \(levels.joined(separator: ", "))"
                    )
                }
                $0.threshold = .minConfidence(match)
            },
            .init("topk", ["SECBERUS_TOPK"], "3", "1-50", "Controls kept per framework and event.") {
                $0.topK = try int($1, key: "topk", in: 1...50)
            },
            .init(
                "source_fields",
                ["SECBERUS_SOURCE_FIELD"],
                "finding_info.title+finding_info.desc,Title+Description,"
                    + "displayMessage,message,description,summary",
                "comma-separated dotted paths (+ joins fields)",
                "Where the text of an event is looked for; the first non-blank string wins."
            ) {
                let entries = try list($1, key: "source_fields")
                guard let paths = FieldPath.parseList(entries.joined(separator: ",")) else {
                    throw ConfigurationError(.invalidValue, key: "source_fields", "dotted paths like finding_info.desc")
                }
                $0.sourceFields = paths
            },
            .init(
                "synthesize_text",
                ["LAKEMARK_SYNTHESIZE_TEXT"],
                "true",
                "true or false",
                "Build a text from CloudTrail, GCP, Azure, Kubernetes, Okta and flow-log fields when no prose is found."
            ) {
                $0.synthesizeText = try bool($1, key: "synthesize_text")
            },
            .init("max_text_bytes", ["LAKEMARK_MAX_TEXT_BYTES"], "2048", "bytes (64-65536)", "Longest text mapped.") {
                $0.maxTextBytes = try int($1, key: "max_text_bytes", in: 64...65_536)
            },
            .init(
                "member_name",
                ["LAKEMARK_MEMBER_NAME"],
                "secberus_compliance",
                "JSON member name",
                "Member spliced into each event."
            ) {
                let name = try string($1, key: "member_name")
                guard !name.isEmpty, name.utf8.count <= 128 else {
                    throw ConfigurationError(.invalidValue, key: "member_name", "1-128 bytes")
                }
                $0.memberName = name
            },
            .init(
                "mapper",
                ["LAKEMARK_MAPPER"],
                "embedded",
                "embedded, remote, remote-fallback",
                "Mapping engine: the embedded one, the remote API, or the remote API with the embedded one answering "
                    + "when the API cannot."
            ) {
                let mapper = try string($1, key: "mapper").lowercased()
                guard ["embedded", "remote", "remote-fallback"].contains(mapper) else {
                    throw ConfigurationError(.invalidValue, key: "mapper", "allowed: embedded, remote, remote-fallback")
                }
                $0.mapper = mapper
            },
            .init(
                "map_api",
                ["LAKEMARK_MAP_API"],
                "true",
                "true or false",
                "Serve POST /v1/map and GET /v1/frameworks (they need an access key when keys are configured)."
            ) {
                $0.mapAPI = try bool($1, key: "map_api")
            },
        ] + embeddedEngineOptions + [
            .init(
                "api_key_arn",
                ["SECBERUS_API_KEY_ARN"],
                "(none)",
                "Secrets Manager ARN",
                "Secrets Manager secret holding the API key of the remote mapping API: the api_key member of a "
                    + "JSON object (an object without one is refused, never sent), else the whole text, trimmed."
            ) {
                $0.apiKeySecretARN = try string($1, key: "api_key_arn")
            },
        ] + remoteMappingOptions + [
            .init(
                "max_body_bytes",
                ["LAKEMARK_MAX_BODY_BYTES"],
                "68157440",
                "bytes (1 MiB-1 GiB)",
                "Largest request body on the wire (64 MiB + 1 MiB margin)."
            ) {
                $0.maxBodyBytes = try int($1, key: "max_body_bytes", in: 1_048_576...1_073_741_824)
            },
            .init(
                "max_decompressed_bytes",
                ["LAKEMARK_MAX_DECOMPRESSED_BYTES"],
                "68157440",
                "bytes (1 MiB-1 GiB)",
                "Largest body after Content-Encoding: gzip is undone."
            ) {
                $0.maxDecompressedBytes = try int($1, key: "max_decompressed_bytes", in: 1_048_576...1_073_741_824)
            },
            .init(
                "max_record_bytes",
                ["LAKEMARK_MAX_RECORD_BYTES"],
                "1024000",
                "bytes (1 KiB-64 MiB)",
                "Largest decoded record (Firehose sends at most 1,024,000)."
            ) {
                $0.maxRecordBytes = try int($1, key: "max_record_bytes", in: 1_024...67_108_864)
            },
            .init(
                "max_records",
                ["LAKEMARK_MAX_RECORDS"],
                "10000",
                "records (1-1000000)",
                "Most records in one request (the protocol allows 10,000; raise it for other clients)."
            ) {
                $0.maxRecords = try int($1, key: "max_records", in: 1...1_000_000)
            },
            .init(
                "max_inflated_record_bytes",
                ["LAKEMARK_MAX_INFLATED_RECORD_BYTES"],
                "16777216",
                "bytes (1 KiB-256 MiB)",
                "Largest record after its own gzip (CloudWatch Logs) is undone."
            ) {
                $0.maxInflatedRecordBytes = try int($1, key: "max_inflated_record_bytes", in: 1_024...268_435_456)
            },
            .init(
                "max_inflated_batch_bytes",
                ["LAKEMARK_MAX_INFLATED_BATCH_BYTES"],
                "134217728",
                "bytes (1 MiB-4 GiB)",
                "Largest total of one batch's records after their own gzip is undone, failed attempts included; "
                    + "gzip records beyond it are kept whole as _raw_base64 (bounds the memory and CPU a batch of gzip "
                    + "bombs takes)."
            ) {
                $0.maxInflatedBatchBytes = try int($1, key: "max_inflated_batch_bytes", in: 1_048_576...4_294_967_296)
            },
            .init("workers", ["LAKEMARK_WORKERS"], "0", "threads (0-256)", "Request worker threads; 0 means 2 x cores.")
            {
                $0.workers = try int($1, key: "workers", in: 0...256)
            },
            .init(
                "max_connections",
                ["LAKEMARK_MAX_CONNECTIONS"],
                "1024",
                "connections (1-65536)",
                "Most open connections."
            ) {
                $0.maxConnections = try int($1, key: "max_connections", in: 1...65_536)
            },
            .init(
                "queue_depth",
                ["LAKEMARK_QUEUE_DEPTH"],
                "0",
                "requests (0-65536)",
                "Requests that may wait for a free worker (their bodies unread); more get 503 at once. "
                    + "0 means 64 x workers, at least 256."
            ) {
                $0.queueDepth = try int($1, key: "queue_depth", in: 0...65_536)
            },
            .init(
                "queue_timeout_seconds",
                ["LAKEMARK_QUEUE_TIMEOUT_SECONDS"],
                "20",
                "seconds (1-170)",
                "Longest wait of a request for a free worker; older ones get 503 at once (Firehose retries them)."
            ) {
                $0.queueTimeoutSeconds = try double($1, key: "queue_timeout_seconds", in: 1...170)
            },
            .init(
                "tls_cert_file",
                ["LAKEMARK_TLS_CERT_FILE"],
                "(none: plain HTTP)",
                "PEM file",
                "Certificate chain (leaf first) to serve HTTPS with, TLS 1.2 or newer; needs tls_key_file. "
                    + "SIGHUP reloads both files."
            ) {
                $0.tlsCertFile = try string($1, key: "tls_cert_file")
            },
            .init(
                "tls_key_file",
                ["LAKEMARK_TLS_KEY_FILE"],
                "(none: plain HTTP)",
                "PEM file",
                "Private key of tls_cert_file; needs tls_cert_file."
            ) {
                $0.tlsKeyFile = try string($1, key: "tls_key_file")
            },
            .init(
                "header_timeout_seconds",
                ["LAKEMARK_HEADER_TIMEOUT_SECONDS"],
                "10",
                "seconds (0.1-600)",
                "Time a client has to send a request head (with TLS: and to complete the handshake first)."
            ) {
                $0.headerTimeoutSeconds = try double($1, key: "header_timeout_seconds", in: 0.1...600)
            },
            .init(
                "body_timeout_seconds",
                ["LAKEMARK_BODY_TIMEOUT_SECONDS"],
                "60",
                "seconds (0.1-600)",
                "Time a client has to send a request body; after its first 5 s the body must also average at "
                    + "least 1,024 bytes/s (slow senders get 408)."
            ) {
                $0.bodyTimeoutSeconds = try double($1, key: "body_timeout_seconds", in: 0.1...600)
            },
            .init(
                "idle_timeout_seconds",
                ["LAKEMARK_IDLE_TIMEOUT_SECONDS"],
                "60",
                "seconds (0.1-3600)",
                "Time an idle keep-alive connection is kept."
            ) {
                $0.idleTimeoutSeconds = try double($1, key: "idle_timeout_seconds", in: 0.1...3_600)
            },
            .init(
                "shutdown_grace_seconds",
                ["LAKEMARK_SHUTDOWN_GRACE_SECONDS"],
                "30",
                "seconds (0-600)",
                "Time in-flight requests get to finish after SIGTERM or SIGINT."
            ) {
                $0.shutdownGraceSeconds = try double($1, key: "shutdown_grace_seconds", in: 0...600)
            },
            .init(
                "gzip_level",
                ["LAKEMARK_GZIP_LEVEL"],
                "1",
                "1-9",
                "Compression level of written gzip objects: 1 is Lakemark's own greedy deflate encoder (about twice "
                    + "as fast as zlib's level 1, objects about the same size); 2-9 are zlib's levels."
            ) {
                $0.gzipLevel = try int($1, key: "gzip_level", in: 1...9)
            },
            .init(
                "batch_threads",
                ["LAKEMARK_BATCH_THREADS"],
                "0",
                "0-256",
                "Threads one batch of 2 MiB or more is prepared, spliced and compressed on (a gzip body of 1 MiB or "
                    + "more is also decompressed while its records are prepared); 0 gives each batch the cores that "
                    + "the other batches in process leave idle (all of them to a batch that runs alone, one each "
                    + "under load). Unless it is 1, objects of 2 MiB or more are several gzip members or zstd "
                    + "frames (cut by size, whatever the threads)."
            ) {
                $0.batchThreads = try int($1, key: "batch_threads", in: 0...256)
            },
            .init("zstd_level", ["LAKEMARK_ZSTD_LEVEL"], "1", "1-19", "Compression level of ndjson-zstd objects.") {
                $0.zstdLevel = try int($1, key: "zstd_level", in: 1...19)
            },
            .init(
                "emf",
                ["LAKEMARK_EMF"],
                "false",
                "true or false",
                "One CloudWatch Embedded Metric Format line per batch on stdout (namespace Lakemark, dimension Stream)."
            ) {
                $0.embeddedMetrics = try bool($1, key: "emf")
            },
            .init(
                "lambda_partition_keys",
                ["LAKEMARK_LAMBDA_PARTITION_KEYS"],
                "false",
                "true or false",
                "Lambda mode: each Ok record carries metadata.partitionKeys source, region, accountId and eventDay for "
                    + "Firehose dynamic partitioning."
            ) {
                $0.lambdaPartitionKeys = try bool($1, key: "lambda_partition_keys")
            },
            .init(
                "log_level",
                ["LAKEMARK_LOG_LEVEL"],
                "info",
                "trace debug info notice warning error",
                "Least severe log level written (JSON lines on stderr)."
            ) {
                let level = try string($1, key: "log_level").lowercased()
                guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) else {
                    throw ConfigurationError(
                        .invalidValue,
                        key: "log_level",
                        "trace, debug, info, notice, warning, error"
                    )
                }
                $0.logLevel = level
            },
        ]

    /// The options of the S3 sink, listed after `sink`.


    /// Declares an option.
    init(
        _ key: String,
        _ environment: [String],
        _ defaultValue: String,
        _ unit: String,
        _ summary: String,
        apply: @escaping @Sendable (inout Configuration, Value) throws -> Void
    ) {
        self.key = key
        self.environment = environment
        self.defaultValue = defaultValue
        self.unit = unit
        self.summary = summary
        self.apply = apply
    }
}
