/// A failure of the remote compliance-mapping API, or of the client in front of it.
///
/// ``code`` is a stable name; ``alarmCode`` (`mapping.degraded.<code>`, or `mapping.degraded.http_<status>` for
/// an HTTP status) is what the service logs when a batch lands without mappings, so an alarm can match it.
/// ``message`` never contains the API key.
public struct RemoteMappingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable error code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code's stable name, e.g. `"circuit_open"`.
        public let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The API could not be reached: resolution failed or the connection was refused.
        public static let connectFailed = Code("connect_failed")
        /// The connection broke before the whole answer arrived.
        public static let connectionLost = Code("connection_lost")
        /// Connecting or reading took longer than its timeout, or the batch's mapping budget ran out.
        public static let timeout = Code("timeout")
        /// The API answered with a status other than 200 (see ``RemoteMappingError/httpStatus``).
        public static let httpStatus = Code("http_status")
        /// The answer is not the documented JSON (or not HTTP at all).
        public static let invalidResponse = Code("invalid_response")
        /// The circuit breaker is open: recent calls failed, so none is made until the cool-down has passed.
        public static let circuitOpen = Code("circuit_open")
        /// No call was made: an earlier answer was 429 with a `Retry-After` that has not passed yet and is longer
        /// than this call may wait (``RemoteMappingError/retryAfterSeconds`` holds what is left of it).
        public static let rateLimited = Code("rate_limited")
        /// The API key could not be read (file, secret).
        public static let apiKeyUnavailable = Code("api_key_unavailable")
        /// The client's settings are unusable (URL, key location, missing TLS connector).
        public static let invalidConfiguration = Code("invalid_configuration")

        /// The stable name.
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// A one-line explanation without secrets.
    public let message: String
    /// The HTTP status of the answer, for ``Code/httpStatus``.
    public let httpStatus: Int?
    /// Seconds the API asked the client to wait (`Retry-After`), when it said.
    public let retryAfterSeconds: Double?

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: The explanation; it must not contain the API key.
    ///   - httpStatus: The HTTP status, for ``Code/httpStatus``. Default: none.
    ///   - retryAfterSeconds: The wait the API asked for. Default: none.
    public init(_ code: Code, _ message: String, httpStatus: Int? = nil, retryAfterSeconds: Double? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// `timeout`, `circuit_open`, `rate_limited`, … or `http_<status>` for an HTTP status.
    public var reason: String {
        if code == .httpStatus, let httpStatus { return "http_\(httpStatus)" }
        return code.name
    }

    /// The stable code logged for a batch this error left without mappings: `mapping.degraded.<reason>`.
    public var alarmCode: String { "mapping.degraded.\(reason)" }

    /// Whether the same call may succeed if made again: transport failures, timeouts, 429 and 5xx answers,
    /// and malformed answers.
    public var isRetryable: Bool {
        switch code {
        case .connectFailed, .connectionLost, .timeout, .invalidResponse: return true
        case .httpStatus: return httpStatus.map { $0 == 429 || $0 >= 500 } ?? false
        default: return false
        }
    }

    /// Whether the failure says the API is unhealthy (counted by the circuit breaker): transport failures,
    /// timeouts, 5xx and malformed answers. Rate limiting and client errors are not.
    public var indicatesOutage: Bool {
        switch code {
        case .connectFailed, .connectionLost, .timeout, .invalidResponse: return true
        case .httpStatus: return (httpStatus ?? 0) >= 500
        default: return false
        }
    }

    /// Whether the API refused the key (401 or 403).
    public var isKeyRefused: Bool {
        code == .httpStatus && (httpStatus == 401 || httpStatus == 403)
    }

    /// `reason: message`.
    public var description: String { "\(reason): \(message)" }
}
