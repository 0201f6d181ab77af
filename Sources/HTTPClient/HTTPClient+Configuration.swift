extension HTTPClient {
    /// Settings for an ``HTTPClient``. Every field has a default; sizes are in bytes, times are `Duration`s.
    public struct Configuration: Sendable, Hashable {
        /// The longest time to resolve and connect. Default: 10 s.
        public var connectTimeout: Duration
        /// How long a read may wait for the next bytes of a response. Default: 60 s.
        public var readTimeout: Duration
        /// How long a write may make no progress. Default: 60 s.
        public var writeTimeout: Duration
        /// The most idle keep-alive connections kept per `host:port`; 0 disables reuse. Default: 8.
        public var maxIdleConnectionsPerEndpoint: Int
        /// How long an idle connection is kept for reuse; keep it below the server's keep-alive timeout.
        /// Default: 30 s.
        public var idleConnectionTimeout: Duration
        /// The largest response head accepted, in bytes. Default: 81,920 (80 KiB).
        public var maxResponseHeadBytes: Int
        /// The largest response body accepted, in bytes. Default: 67,108,864 (64 MiB).
        public var maxResponseBodyBytes: Int

        /// Creates a configuration with the documented defaults.
        public init() {
            self.connectTimeout = .seconds(10)
            self.readTimeout = .seconds(60)
            self.writeTimeout = .seconds(60)
            self.maxIdleConnectionsPerEndpoint = 8
            self.idleConnectionTimeout = .seconds(30)
            self.maxResponseHeadBytes = 81_920
            self.maxResponseBodyBytes = 64 << 20
        }
    }
}
