public import AWSCredentialChain
public import HTTPClient
public import Mapping
import Synchronization

/// Maps texts with the remote compliance-mapping API (`POST /v1/map`), one logical call per batch.
///
/// A batch's distinct texts are looked up in an LRU + TTL cache; the rest are cut into chunks (at most
/// ``Configuration/documentsPerCall`` documents and ``Configuration/bytesPerCall`` bytes each) that go out in
/// parallel, up to ``Configuration/parallelCalls`` at once: as concurrent streams of one HTTP/2 connection when
/// the `https` server chooses `h2` by ALPN (``Configuration/http2``), otherwise over HTTP/1.1 keep-alive
/// connections.
///
/// Each chunk is retried on 429 (after `Retry-After`, seconds or HTTP-date), 5xx, timeouts and connection errors,
/// with jittered exponential backoff, up to ``Configuration/maxAttempts`` attempts; a 401 or 403 makes the key
/// source read the key again and the call is repeated once. A circuit breaker stops calls after
/// ``Configuration/circuitFailureThreshold`` consecutive outages and probes again after
/// ``Configuration/circuitCooldown``. The whole batch gets ``Configuration/budget``: whatever has not been
/// answered by then is given up.
///
/// Chunks that fail are answered by the `fallback` engine when there is one, and otherwise left without
/// mappings; ``run(_:options:)`` says which happened and why, ``map(_:options:)`` throws instead.
///
/// The API key is sent in `authorization` and never appears in an error or a description.
public final class RemoteMapper: ComplianceMapper {
    /// The settings.
    public let configuration: Configuration
    /// The engine that answers when the API cannot (remote-fallback mode), if any.
    public let fallback: (any ComplianceMapper)?
    let client: MapAPIClient
    let apiKey: any APIKeySource
    let breaker: CircuitBreaker
    let cache: AnswerCache
    let counters = RemoteMapperCounters()
    let backoff: RetryDelay
    /// Set by a 429 with `Retry-After`: no call before this instant; the 429 is the reason.
    let rateLimit = Mutex<(until: ContinuousClock.Instant, error: RemoteMappingError)?>(nil)

    /// Creates a mapper; nothing is sent until the first call.
    /// - Parameters:
    ///   - configuration: URL, limits, timeouts, retries, breaker, budget and cache.
    ///   - apiKey: Supplies the key (read on each call, read again after a 401 or 403).
    ///   - connector: Opens connections: a TLS connector for `https` URLs (a ``TLSConnector`` also allows
    ///     HTTP/2), plain TCP (the default) for `http`.
    ///   - fallback: The engine that answers texts the API could not. Default: none.
    public init(
        configuration: Configuration,
        apiKey: any APIKeySource,
        connector: any HTTPTransportConnector = TCPConnector(),
        fallback: (any ComplianceMapper)? = nil
    ) {
        self.configuration = configuration
        self.fallback = fallback
        self.apiKey = apiKey
        self.client = MapAPIClient(configuration: configuration, connector: connector)
        self.breaker = CircuitBreaker(
            failureThreshold: configuration.circuitFailureThreshold,
            cooldown: configuration.circuitCooldown
        )
        self.cache = AnswerCache(capacity: configuration.cacheEntries, timeToLive: configuration.cacheTTL)
        self.backoff = RetryDelay(base: configuration.retryBaseDelay, maximum: configuration.retryMaxDelay)
    }

    /// Maps texts (see ``ComplianceMapper/map(_:options:)``).
    /// - Parameters:
    ///   - texts: The texts.
    ///   - options: Frameworks, threshold and matches per framework.
    /// - Returns: One match list per text, in input order.
    /// - Throws: ``MappingError`` for invalid options; the ``RemoteMappingError`` of the run when some texts were
    ///   left without mappings.
    public func map(_ texts: [String], options: MappingOptions) throws -> [[ControlMatch]] {
        let run = try run(texts, options: options)
        if run.isDegraded, let failure = run.failure { throw failure }
        return run.matches
    }

    /// The totals since the mapper was created.
    public var statistics: RemoteMapperStatistics {
        counters.snapshot(circuitOpenings: breaker.openCount, versions: client.versions)
    }

    /// Whether the circuit breaker refuses calls now.
    public var isCircuitOpen: Bool { breaker.isOpen }

    /// Asks the API which frameworks it serves (`GET /v1/frameworks`), once, without retries.
    /// - Returns: The framework ids.
    /// - Throws: ``RemoteMappingError``.
    public func serviceFrameworkIDs() throws(RemoteMappingError) -> [String] {
        let key: String
        do {
            key = try apiKey.apiKey()
        } catch {
            throw RemoteMappingError(.apiKeyUnavailable, "cannot read the API key: \(error)")
        }
        return try client.frameworkIDs(apiKey: key)
    }
}
