extension HTTP2Client {
    /// Settings for an ``HTTP2Client``. Every field has a default; sizes are in bytes, times are `Duration`s.
    public struct Configuration: Sendable, Hashable {
        /// The longest time to open a connection (TCP, TLS and the exchange of HTTP/2 SETTINGS). Default: 10 s.
        public var connectTimeout: Duration
        /// How long a stream may go without progress (a frame of it sent or received) once its request has left;
        /// time spent queued behind the server's `SETTINGS_MAX_CONCURRENT_STREAMS` does not count.
        /// Default: 60 s.
        public var requestTimeout: Duration
        /// How long a connection without open streams is kept before it is closed with `GOAWAY`. Default: 30 s.
        public var idleConnectionTimeout: Duration
        /// The largest response header block accepted (names plus values), in bytes. Default: 81,920 (80 KiB).
        public var maxResponseHeadBytes: Int
        /// The largest response body accepted, in bytes. Default: 67,108,864 (64 MiB).
        public var maxResponseBodyBytes: Int
        /// The flow-control window offered to the server for each response stream, in bytes. Default: 1,048,576.
        public var streamWindowBytes: Int

        /// Creates a configuration with the documented defaults.
        public init() {
            self.connectTimeout = .seconds(10)
            self.requestTimeout = .seconds(60)
            self.idleConnectionTimeout = .seconds(30)
            self.maxResponseHeadBytes = 81_920
            self.maxResponseBodyBytes = 64 << 20
            self.streamWindowBytes = 1 << 20
        }
    }
}
