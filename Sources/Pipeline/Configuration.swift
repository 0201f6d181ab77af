import Extraction
public import S3

/// Everything `lakemark serve` can be told, with its defaults. Built by ``ConfigurationLoader`` from the
/// defaults, then a JSON file, then the environment; ``ConfigurationOption/all`` documents each field.
public struct Configuration: Sendable {
    /// Where a batch is written.
    public enum SinkLocation: Sendable, Hashable, CustomStringConvertible {
        /// A local directory (the embedded default).
        case directory(String)
        /// An S3 bucket and key prefix (`s3://bucket/prefix`); ``Configuration/s3`` holds the rest.
        case s3(bucket: String, prefix: String)

        /// The location as configured, e.g. `./lake` or `s3://bucket/prefix`.
        public var description: String {
            switch self {
            case .directory(let path): return path
            case .s3(let bucket, let prefix): return "s3://\(bucket)/\(prefix)"
            }
        }
    }

    /// The mapping threshold: one of the two, never both.
    public enum Threshold: Sendable, Hashable {
        /// Keep matches with similarity at or above this value (0.01…1.0).
        case minSimilarity(Double)
        /// Keep matches at or above this confidence level (`High`, `Medium`, `Low`, `Very Low`).
        case minConfidence(String)
    }

    /// Listen host. Default: `127.0.0.1` (containers set `0.0.0.0`).
    public var listenHost = "127.0.0.1"
    /// Listen port. Default: 8080.
    public var listenPort = 8080
    /// The Firehose ingest path. Default: `/`.
    public var ingestPath = "/"
    /// Accepted `X-Amz-Firehose-Access-Key` values; empty accepts every request. Default: none.
    public var accessKeys: [String] = []
    /// A file holding the accepted keys instead of ``accessKeys``, read at start and again when it changes, so keys
    /// rotate without a restart (a Kubernetes Secret volume, a file a sidecar writes). Default: none.
    public var accessKeysFile: String?
    /// Whether `serve` may listen beyond loopback without ``accessKeys`` (something in front authenticates).
    /// Default: `false`: such a start is refused.
    public var allowUnauthenticated = false

    /// Whether ``listenHost`` is a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
    public var listensOnLoopbackOnly: Bool {
        listenHost == "localhost" || listenHost == "::1" || listenHost.hasPrefix("127.")
    }

    /// Why `serve` must not start with this configuration: it would accept every request from beyond loopback.
    /// - Returns: the error naming the options to set, or `nil` when keys are set, the address is loopback, or
    ///   ``allowUnauthenticated`` is on.
    public func unauthenticatedExposure() -> ConfigurationError? {
        guard accessKeys.isEmpty, !allowUnauthenticated, !listensOnLoopbackOnly else { return nil }
        return ConfigurationError(
            .conflict,
            key: "access_keys",
            "unset while listening on \(listenHost): every request would be accepted; set access_keys "
                + "(LAKEMARK_ACCESS_KEYS) to the delivery stream's access key, or allow_unauthenticated=true "
                + "(LAKEMARK_ALLOW_UNAUTHENTICATED) when something in front authenticates"
        )
    }
    /// How batches are written: `ndjson-gzip`, `ndjson-zstd` or `parquet`. Default: `ndjson-gzip`.
    public var format = OutputFormat.ndjsonGzip
    /// Locations, raw prefix, region and spool of `parquet` output.
    public var securityLake = SecurityLakeSettings()
    /// Where batches land. Default: the directory `./lake`.
    public var sink = SinkLocation.directory("./lake")
    /// Region, endpoint, encryption, sizes, budget and TLS of an S3 sink (the `s3_*` options).
    public var s3 = S3SinkSettings()
    /// Overrides the `<source>` key segment (default: the event's kind, e.g. `cloudtrail`).
    public var sourceName: String?
    /// Framework ids mapped for every event. Default: `pci_dss_v4`, `nist_800_53_r5`.
    public var frameworks = ["pci_dss_v4", "nist_800_53_r5"]
    /// The mapping threshold. Default: none (the engine's floor).
    public var threshold: Threshold?
    /// Controls kept per framework and event. Default: 3.
    public var topK = 3
    /// Where text is looked for, in order. Default: ``TextExtractor/defaultSourceFields``.
    public var sourceFields = TextExtractor.defaultSourceFields
    /// Whether events without prose get a synthesised text. Default: `true`.
    public var synthesizeText = true
    /// Longest text mapped, in bytes. Default: 2,048.
    public var maxTextBytes = 2_048
    /// The member spliced into each event. Default: `secberus_compliance`.
    public var memberName = "secberus_compliance"
    /// Mapping engine: `embedded`, `remote` or `remote-fallback`. Default: `embedded`.
    public var mapper = "embedded"
    /// A role the S3 sink assumes on top of the credential chain (the Security Lake provider role). Default: none.
    public var s3RoleARN: String?
    /// The external id that role's trust policy requires. Default: none.
    public var s3RoleExternalID: String?
    /// Whether `POST /v1/map` and `GET /v1/frameworks` are served. Default: `true`.
    public var mapAPI = true
    /// Directory of the embedded catalogs; default: the bundled one.
    public var catalogDirectory: String?
    /// all-MiniLM-L6-v2 model directory; when set, the embedded engine re-ranks with it. Default: none.
    public var modelDirectory: String?
    /// Distinct texts kept in the mapping cache. Default: 100,000 entries.
    public var mappingCacheEntries = 100_000
    /// What the organisation is (`service provider`, `wireless`, …), for requirements the embedded catalogues scope
    /// to some entities: they are answered for every text, not only for texts that name the entity. Default: none.
    public var entities: [String] = []
    /// Where each option that was set came from (the configuration file's path or the environment variable), by
    /// option key, so that errors found after loading can name it.
    public var origins: [String: String] = [:]
    /// ARN of the Secrets Manager secret holding the remote mapping API key (remote mapper only).
    public var apiKeySecretARN: String?
    /// The remote mapping API client's settings (`mapper` = `remote` or `remote-fallback`).
    public var remoteMapping = RemoteMappingSettings()
    /// Largest request body accepted on the wire, in bytes. Default: 65 MiB (64 MiB + margin).
    public var maxBodyBytes = 65 * 1_048_576
    /// Largest body after `Content-Encoding: gzip` is undone, in bytes. Default: 65 MiB.
    public var maxDecompressedBytes = 65 * 1_048_576
    /// Most records in one request. Default: 10,000 (the protocol's `maxItems`).
    public var maxRecords = 10_000
    /// Largest decoded record, in bytes. Default: 1,024,000 (Firehose's record limit).
    public var maxRecordBytes = 1_024_000
    /// Largest record after per-record gzip is undone, in bytes. Default: 16 MiB.
    public var maxInflatedRecordBytes = 16 * 1_048_576
    /// Largest total of a batch's (or Lambda invocation's) records after their own gzip is undone, in bytes; gzip
    /// records beyond it are kept whole as `_raw_base64`. Default: 128 MiB.
    public var maxInflatedBatchBytes = 128 * 1_048_576
    /// Worker threads handling requests; 0 picks 2 × cores (at least 2). Default: 0.
    public var workers = 0
    /// Threads one batch of 2 MiB of records or more is prepared, spliced and compressed on (a gzip body of 1 MiB or
    /// more is also decompressed while its records are prepared); 0 gives each batch the cores the other batches in
    /// process leave idle (all of them to a batch that runs alone, one each under load).
    /// More than one cuts large objects into several gzip members (or zstd frames), which every reader joins back.
    /// Default: 0.
    public var batchThreads = 0
    /// Most open connections. Default: 1,024.
    public var maxConnections = 1_024
    /// Requests that may wait for a free worker; more are answered 503 at once. 0 picks 64 × workers, at least
    /// 256. Default: 0.
    public var queueDepth = 0
    /// Seconds a request may wait for a free worker before it is answered 503. Default: 20.
    public var queueTimeoutSeconds = 20.0
    /// PEM certificate chain (leaf first) served over TLS; set together with ``tlsKeyFile``. Default: `nil`
    /// (plain HTTP).
    public var tlsCertFile: String?
    /// PEM private key of ``tlsCertFile``. Default: `nil` (plain HTTP).
    public var tlsKeyFile: String?
    /// Seconds a client has to complete the TLS handshake and send a request head. Default: 10.
    public var headerTimeoutSeconds = 10.0
    /// Seconds a client has to send a request body. Default: 60.
    public var bodyTimeoutSeconds = 60.0
    /// Seconds an idle keep-alive connection is kept. Default: 60.
    public var idleTimeoutSeconds = 60.0
    /// Seconds in-flight requests get to finish on SIGTERM/SIGINT. Default: 30.
    public var shutdownGraceSeconds = 30.0
    /// gzip level of written objects, 1 (fastest) … 9 (smallest). Default: 1.
    public var gzipLevel = 1
    /// zstd level of `ndjson-zstd` objects, 1 (fastest) … 19 (smallest). Default: 1.
    public var zstdLevel = 1
    /// Whether each batch also writes a CloudWatch Embedded Metric Format line to standard output. Default: `false`.
    public var embeddedMetrics = false
    /// Lambda mode: whether each `Ok` record carries `metadata.partitionKeys` (`source`, `region`, `accountId`,
    /// `eventDay`) for Firehose dynamic partitioning. Default: `false`.
    public var lambdaPartitionKeys = false
    /// Least severe log level written: `trace`, `debug`, `info`, `notice`, `warning`, `error`. Default: `info`.
    public var logLevel = "info"

    /// The defaults.
    public init() {}
}
