import Dispatch
import Extraction
import Foundation
import HTTPClient
import HTTPServer
import Mapping
import RemoteMapping
import ServiceSupport
import Sink
import Synchronization

/// The running service: configuration, engine, sink and HTTP server wired together.
public final class Service: Sendable {
    /// The configuration in force.
    public let configuration: Configuration
    /// The HTTP server.
    let server: HTTPServer
    /// Where the service logs.
    let logger: Logger
    /// Where batches are written; closed at shutdown.
    private let sink: any ObjectSink
    /// The served certificate and key when `tls_cert_file` and `tls_key_file` are set.
    let tls: HTTPServerTLS?
    /// The SIGHUP source that reloads ``tls``; active from `init` until ``shutdown()``. Dispatch
    /// sources are thread-safe, and the reference itself never changes.

    /// The Parquet output, with `format` = `parquet`.
    let securityLake: SecurityLakeOutput?
    /// Flushes the spool's due partitions periodically (spooled Parquet output only).
    nonisolated(unsafe) private let spoolTimer: (any DispatchSourceTimer)?
    /// Whether ``spoolTimer`` was resumed (by ``start()``).
    private let spoolTimerStarted = Atomic<Bool>(false)
    /// The queue ``spoolTimer`` runs on; shutdown waits on it for a flush in progress.
    let spoolQueue: DispatchQueue

    /// The remote mapper, in `remote` and `remote-fallback` modes.
    let remoteMapper: RemoteMapper?

    /// Builds the service; nothing listens until ``start()``.
    /// - Parameters:
    ///   - configuration: the configuration.
    ///   - logger: where the service logs.
    ///   - tlsConnector: opens `https` connections for the remote mapping API and Secrets Manager; `nil` (the
    ///     default) allows `http` URLs only.
    ///   - sinkFactory: builds the configured sink (and chooses the S3 credentials); default: the process
    ///     environment's.
    /// - Throws: when the catalogs cannot be loaded, the options are inconsistent, or the TLS certificate or key
    ///   cannot be loaded (``HTTPServerError`` with code `tlsConfigurationFailed`).
    public init(
        configuration: Configuration,
        logger: Logger,
        tlsConnector: (any HTTPTransportConnector)? = nil,
        sinkFactory: SinkFactory = SinkFactory()
    ) throws {
        self.configuration = configuration
        let options = try EngineFactory.makeOptions(configuration)
        let engine = try EngineFactory.makeServiceEngine(
            configuration,
            options: options,
            logger: logger,
            tlsConnector: tlsConnector
        )
        var logger = logger
        if let key = engine.apiKey {
            // Redaction masks every occurrence of the key: a short one would garble the logs and reveal itself.
            guard key.utf8.count >= 8 else {
                throw ConfigurationError(.invalidValue, key: "api_key", "the mapping API key needs at least 8 bytes")
            }
            logger.redactor = logger.redactor.adding(secret: key)
        }
        self.logger = logger
        self.remoteMapper = engine.remote
        let mapper = engine.mapper
        let sink = try sinkFactory.makeSink(configuration)
        self.sink = sink
        let lake = try Self.makeSecurityLake(configuration, sink: sink, logger: logger)
        self.securityLake = lake
        let spoolQueue = DispatchQueue(label: "lakemark.spool")
        self.spoolQueue = spoolQueue
        self.spoolTimer = lake?.spool.map { Self.makeSpoolTimer($0, queue: spoolQueue, logger: logger) }
        let processor = BatchProcessor(
            configuration: configuration,
            mapper: mapper,
            mappingOptions: options,
            sink: sink,
            securityLake: lake,
            accessKeys: AccessKeyStore(configuration: configuration) { [logger] change in
                switch change {
                case .reloaded(let count):
                    logger.notice("access keys read again from access_keys_file", ["keys": .int(count)])
                case .refused(let error):
                    logger.warning(
                        "access_keys_file changed but cannot be used; the previous keys stay in use",
                        ["error_code": .string(error.code.name), "error": .string(error.description)]
                    )
                }
            }
        )
        let metrics = ServiceMetrics(
            ingestPath: configuration.ingestPath,
            mapper: mapper,
            remoteMapper: engine.remote,
            sink: sink
        )
        let router = Router(
            configuration: configuration,
            processor: processor,
            mapper: mapper,
            sink: sink,
            logger: logger,
            metrics: metrics
        )
        var server = HTTPServer.Configuration(host: configuration.listenHost, port: configuration.listenPort)
        if configuration.workers > 0 { server.workerCount = configuration.workers }
        server.maxConnections = configuration.maxConnections
        if configuration.queueDepth > 0 { server.workQueueCapacity = configuration.queueDepth }
        server.queueWaitTimeout = .milliseconds(Int(configuration.queueTimeoutSeconds * 1_000))
        server.maxBodyBytes = configuration.maxBodyBytes
        server.headerReadTimeout = .milliseconds(Int(configuration.headerTimeoutSeconds * 1_000))
        server.bodyReadTimeout = .milliseconds(Int(configuration.bodyTimeoutSeconds * 1_000))
        server.keepAliveIdleTimeout = .milliseconds(Int(configuration.idleTimeoutSeconds * 1_000))
        // Probes and scrapes never wait behind batches, nor get the overload answer meant for Firehose.
        server.controlPaths = ["/healthz", "/readyz", "/metrics"]
        if let certificate = configuration.tlsCertFile, let key = configuration.tlsKeyFile {
            self.tls = try HTTPServerTLS(certificateChainFile: certificate, privateKeyFile: key)
        } else {
            self.tls = nil
        }
        self.server = HTTPServer(
            configuration: server,
            handler: MetricsHandler(router: router, metrics: metrics),
            observer: ServerEventLog(logger: logger).observer,
            tls: self.tls
        )
    }

    deinit {
        if let spoolTimer {
            spoolTimer.cancel()
            // libdispatch traps when a source that was never resumed is released (a failed start()).
            if !spoolTimerStarted.load(ordering: .acquiring) { spoolTimer.resume() }
        }
    }

    /// The remote mapper's totals since start-up (calls, cache, fallback, degradations by code); `nil` with the
    /// embedded engine.
    public var remoteMappingStatistics: RemoteMapperStatistics? { remoteMapper?.statistics }

    /// The port actually bound (useful with port 0).
    public var boundPort: Int { server.boundPort }

    /// Binds and starts serving (``runUntilSignalled()`` then takes SIGHUP to reload TLS; see ``reloadTLS()``).
    /// - Throws: ``HTTPServerError`` when the address cannot be bound.
    public func start() throws {
        AllocatorTuning.releaseFreedMemory()
        try server.start()
        let first = spoolTimerStarted.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        if first.exchanged { spoolTimer?.resume() }
        logger.notice(
            "lakemark listening",
            [
                "version": .string(BuildInfo.version),
                "address": .string("\(configuration.listenHost):\(server.boundPort)"),
                "scheme": .string(tls == nil ? "http" : "https"),
                "ingest_path": .string(configuration.ingestPath),
                "sink": .string(configuration.sink.description),
                "frameworks": .string(configuration.frameworks.joined(separator: ",")),
                "accepted_keys": .int(configuration.accessKeys.count),
                "mapper": .string(configuration.mapper),
                "semantic_reranker": .string(EngineFactory.semanticRerankerState(configuration)),
                "entities": .string(configuration.entities.joined(separator: ",")),
                "format": .string(configuration.format.rawValue),
                "topk": .int(configuration.topK),
                "threshold": .string(thresholdDescription),
                "source_fields": .string(configuration.sourceFields.map(\.description).joined(separator: ",")),
            ]
        )
        if let warning = EngineFactory.entitiesWarning(configuration) {
            logger.warning(warning)
        }
        if configuration.accessKeys.isEmpty && !configuration.listensOnLoopbackOnly {
            logger.warning(
                "no access keys: every request is accepted (allow_unauthenticated); set access_keys "
                    + "(LAKEMARK_ACCESS_KEYS) unless something in front authenticates",
                ["address": .string(configuration.listenHost)]
            )
        }
    }

    /// The mapping threshold as the start-up line shows it.
    private var thresholdDescription: String {
        switch configuration.threshold {
        case .minSimilarity(let value): "min_similarity=\(value)"
        case .minConfidence(let level): "min_confidence=\(level)"
        case nil: "min_confidence=Low"
        }
    }

    /// Reads the TLS certificate and key files again; connections accepted afterwards use them. When they cannot
    /// be loaded the previous certificate stays in force and an error is logged.
    /// - Returns: `true` when the new files are in use; `false` without TLS or when loading failed.
    @discardableResult
    public func reloadTLS() -> Bool {
        guard let tls else {
            return false
        }
        do {
            try tls.reload()
            logger.notice("tls certificate reloaded", ["sha256": .string(tls.certificateFingerprint)])
            return true
        } catch {
            logger.error(
                "tls reload failed; keeping the previous certificate",
                [
                    "error_code": .string("http.\(error.code)"), "reason": .string(error.detail ?? ""),
                    "sha256": .string(tls.certificateFingerprint),
                ]
            )
            return false
        }
    }

    /// The SHA-256 fingerprint (lowercase hex) of the certificate new TLS connections get; `nil` without TLS.
    public var tlsCertificateFingerprint: String? { tls?.certificateFingerprint }

    /// Stops accepting, lets in-flight requests finish up to the grace period, then returns.
    public func shutdown() {
        logger.notice("shutting down", ["grace_seconds": .double(configuration.shutdownGraceSeconds)])
        let interrupted = server.shutdown(gracePeriod: .milliseconds(Int(configuration.shutdownGraceSeconds * 1_000)))
        if interrupted > 0 {
            logger.warning(
                "requests still running at the end of the shutdown grace period were cut without a response "
                    + "(Firehose retries its batches)",
                ["requests": .int(interrupted), "grace_seconds": .double(configuration.shutdownGraceSeconds)]
            )
        }
        server.waitUntilStopped()
        spoolTimer?.cancel()
        // A flush in progress finishes (its partition stays spooled otherwise, and is flushed at the next start).
        spoolQueue.sync {}
        sink.close()
        logger.notice("stopped")
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully; SIGHUP reloads the TLS certificate and key
    /// (``reloadTLS()``), or is logged and ignored without TLS. The signals are taken with
    /// ``ProcessSignals/next()``: the caller blocks them (``ProcessSignals/block()``) before starting any thread, so
    /// one sent during start-up is handled here, not lost.
    public func runUntilSignalled() {
        ProcessSignals.block()
        while ProcessSignals.next() == SIGHUP {
            if tls != nil {
                reloadTLS()
            } else {
                logger.notice("SIGHUP ignored: no TLS certificate to reload")
            }
        }
        shutdown()
    }
}
