public import RemoteMapping

/// How the remote compliance-mapping API is reached and how its failures are handled (`mapper` = `remote` or
/// `remote-fallback`); ``ConfigurationOption/all`` documents each field.
public struct RemoteMappingSettings: Sendable, Hashable {
    /// What a batch does when some of its texts got no mapping.
    public enum FailurePolicy: String, Sendable, Hashable {
        /// Land the batch; unmapped events carry an empty array (logged with `mapping.degraded.<reason>`).
        case degrade
        /// Answer 503 so that Firehose sends the batch again (logged with `mapping.failed.<reason>`).
        case fail
    }

    /// The API base URL. Default: `https://compliance.secberus.ai`.
    public var apiURL = "https://compliance.secberus.ai"
    /// The API key itself; prefer ``apiKeyFile`` or the secret ARN. Default: none.
    public var apiKey: String?
    /// A file holding the API key. Default: none.
    public var apiKeyFile: String?
    /// What a batch does when mapping fails. Default: ``FailurePolicy/degrade``.
    public var failurePolicy = FailurePolicy.degrade
    /// Seconds one batch may spend mapping. Default: 20.
    public var budgetSeconds = 20.0
    /// Most documents per API call. Default: 200.
    public var documentsPerCall = 200
    /// Most request bytes per API call. Default: 1,048,576 (1 MiB).
    public var bytesPerCall = 1_048_576
    /// API calls of one batch in flight at once. Default: 4.
    public var parallelCalls = 4
    /// Whether API calls may share one HTTP/2 connection. Default: ``RemoteMapper/HTTP2Mode/auto``.
    public var http2 = RemoteMapper.HTTP2Mode.auto
    /// Seconds to connect to the API. Default: 2.
    public var connectTimeoutSeconds = 2.0
    /// Seconds each read or write of an API call may wait. Default: 10.
    public var readTimeoutSeconds = 10.0
    /// Attempts per API call, the first included. Default: 3.
    public var maxAttempts = 3
    /// Consecutive failed calls that open the circuit breaker. Default: 5.
    public var circuitFailures = 5
    /// Seconds the open circuit breaker waits before a probe. Default: 30.
    public var circuitCooldownSeconds = 30.0
    /// Seconds an API answer stays in the cache; 0 disables the cache. Default: 3,600.
    public var cacheTTLSeconds = 3_600.0

    /// The defaults.
    public init() {}
}
