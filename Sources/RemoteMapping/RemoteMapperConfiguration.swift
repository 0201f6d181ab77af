public import HTTPClient

extension RemoteMapper {
    /// Where the API is and how it is called. Every field has a default; times are `Duration`s.
    public struct Configuration: Sendable, Hashable {
        /// The default API base URL: `https://compliance.secberus.ai`.
        public static let defaultBaseURL = "https://compliance.secberus.ai"

        /// The API base URL; `/v1/map` and `/v1/frameworks` are appended to its path.
        public var baseURL: HTTPURL
        /// Most documents in one call, 1...1,000 (the API's limit). Default: 200.
        public var documentsPerCall: Int
        /// Most request-body bytes in one call (a single larger document still goes alone), up to 4 MiB.
        /// Default: 1,048,576 (1 MiB).
        public var bytesPerCall: Int
        /// Longest document sent, in UTF-8 bytes; longer texts are cut at a character boundary.
        /// Default: 16,384 (the API's limit).
        public var maxDocumentBytes: Int
        /// Calls of one batch in flight at once: streams of one HTTP/2 connection, or each on its own HTTP/1.1
        /// keep-alive connection. Default: 4.
        public var parallelCalls: Int
        /// Whether calls may use HTTP/2 (`https` URLs whose server chooses `h2` by ALPN). Default: ``HTTP2Mode/auto``.
        public var http2: HTTP2Mode
        /// The longest time to connect. Default: 2 s.
        public var connectTimeout: Duration
        /// The longest wait for each read or write of a call. Default: 10 s.
        public var readTimeout: Duration
        /// Attempts per call in all (1 = no retry); 429, 5xx, timeouts and connection errors are retried.
        /// Default: 3.
        public var maxAttempts: Int
        /// The first retry waits up to this long (jittered); each later retry doubles it. Default: 200 ms.
        public var retryBaseDelay: Duration
        /// The longest pause before a retry, `Retry-After` included. Default: 5 s.
        public var retryMaxDelay: Duration
        /// Consecutive failed attempts (outages, not 4xx) that open the circuit breaker. Default: 5.
        public var circuitFailureThreshold: Int
        /// How long an open circuit refuses calls before one probe is let through. Default: 30 s.
        public var circuitCooldown: Duration
        /// The longest time one batch may spend mapping; texts not answered by then are left unmapped.
        /// Default: 20 s.
        public var budget: Duration
        /// Distinct texts whose answers are cached; 0 disables the cache. Default: 100,000.
        public var cacheEntries: Int
        /// How long a cached answer is used; zero disables the cache. Default: 1 hour.
        public var cacheTTL: Duration

        /// Creates a configuration with the documented defaults.
        /// - Parameter baseURL: The API base URL (the service's default is ``defaultBaseURL``).
        public init(baseURL: HTTPURL) {
            self.baseURL = baseURL
            self.documentsPerCall = 200
            self.bytesPerCall = 1 << 20
            self.maxDocumentBytes = 16 * 1_024
            self.parallelCalls = 4
            self.http2 = .auto
            self.connectTimeout = .seconds(2)
            self.readTimeout = .seconds(10)
            self.maxAttempts = 3
            self.retryBaseDelay = .milliseconds(200)
            self.retryMaxDelay = .seconds(5)
            self.circuitFailureThreshold = 5
            self.circuitCooldown = .seconds(30)
            self.budget = .seconds(20)
            self.cacheEntries = 100_000
            self.cacheTTL = .seconds(3_600)
        }
    }
}
