import Glibc

extension HTTPServer {
    /// Settings for an ``HTTPServer``. Every field has a default; sizes are in bytes, times are `Duration`s.
    public struct Configuration: Sendable, Hashable {
        /// The address to listen on: an IPv4 or IPv6 literal such as `127.0.0.1`, `0.0.0.0`, `::1` or `::`
        /// (brackets allowed). Host names are not resolved. `::` also accepts IPv4 connections when the system
        /// allows dual-stack sockets (the Linux default). Default: `127.0.0.1`.
        public var host: String
        /// The TCP port; 0 picks an ephemeral port, readable from ``HTTPServer/boundPort`` after start.
        /// Default: 8080.
        public var port: Int
        /// The number of worker threads that read bodies, run the handler and write responses.
        /// Default: `max(2, 2 × active processor count)`.
        public var workerCount: Int
        /// How many complete request heads may wait for a free worker. When full, the reactor answers the
        /// overload response (``HTTPServerError/Code/queueFull``) at once. A waiting request costs no body memory
        /// (its body stays in the socket until a worker reads it), so the default is deep: `nil` means
        /// 64 × ``workerCount``, at least 256, at most ``maxConnections``. Default: `nil`.
        public var workQueueCapacity: Int?
        /// The longest a request head may wait for a free worker. A worker that picks up an older one answers
        /// the overload response (``HTTPServerError/Code/queueTimeout``) without reading the body, so clients
        /// get a prompt 503 instead of their own timeout when the server stays saturated. Default: 20 s.
        public var queueWaitTimeout: Duration
        /// The most connections open at once, idle ones included. Beyond it, new connections get the overload
        /// response (``HTTPServerError/Code/tooManyConnections``) and are closed. Default: 1,024.
        public var maxConnections: Int
        /// The `listen` backlog. Default: 511.
        public var listenBacklog: Int
        /// The largest request head (request line plus fields), in bytes. Larger heads get 431.
        /// Default: 81,920 (80 KiB), enough for Firehose's ~64 KB common-attributes header.
        public var maxHeadBytes: Int
        /// The most header fields in one request. More get 431. Default: 256.
        public var maxHeaderCount: Int
        /// The largest request body, in bytes, checked before any body memory is allocated (declared
        /// `Content-Length`, or each chunk's declared size). Larger bodies trigger
        /// ``HTTPServerError/Code/bodyTooLarge``. Default: 68,157,440 (64 MiB plus a 1 MiB margin).
        public var maxBodyBytes: Int
        /// How long a client may take to send a complete request head, counted from the connection's accept
        /// or from the first byte of a later request on a kept-alive connection. A connection that sends nothing
        /// at all is closed silently after this time; a partial head gets the 408 response. Default: 10 s.
        public var headerReadTimeout: Duration
        /// How long an idle kept-alive connection stays open waiting for its next request. Default: 60 s.
        public var keepAliveIdleTimeout: Duration
        /// The longest time to receive a whole request body. Default: 60 s.
        public var bodyReadTimeout: Duration
        /// The slowest average body rate accepted once ``bodyRateGracePeriod`` has passed, in bytes per second;
        /// a slower trickle gets ``HTTPServerError/Code/bodyTimeout`` instead of holding a worker until
        /// ``bodyReadTimeout``. 0 disables the rule. Default: 1,024 bytes/s.
        public var minimumBodyBytesPerSecond: Int
        /// How long a body may arrive slowly before ``minimumBodyBytesPerSecond`` is enforced. Default: 5 s.
        public var bodyRateGracePeriod: Duration
        /// The longest time writing one response (or a `100 Continue`) may take: a client that reads it more
        /// slowly is dropped, so a slow reader holds a worker at most this long. Also how long a kept-alive
        /// connection may leave more than 16 KiB of responses unread (it pipelines and does not read) before it is
        /// closed; until they drain its next request is not served. Default: 30 s.
        public var writeTimeout: Duration
        /// After an error response, how long the server keeps reading and discarding input before closing, so
        /// the client can read the response instead of getting a reset. Default: 2 s.
        public var lingerTimeout: Duration
        /// Paths (without query) whose bodiless `GET` and `HEAD` requests skip the work queue: two workers of
        /// their own answer them (a slow readiness check does not hold up a liveness one), so health checks and
        /// metrics scrapes stay prompt while every other worker is busy and the queue is full. At most
        /// ``controlQueueCapacity`` of them wait at once. Default: none.
        public var controlPaths: Set<String>
        /// How many control requests (``controlPaths``) may wait for their worker; beyond it they get the
        /// overload response. Default: 64.
        public var controlQueueCapacity: Int
        /// The workers that answer control requests when there are ``controlPaths``.
        static let controlWorkerCount = 2

        /// Creates a configuration with the documented defaults.
        /// - Parameters:
        ///   - host: The listening address literal; default `127.0.0.1`.
        ///   - port: The TCP port; default 8080, 0 for an ephemeral port.
        public init(host: String = "127.0.0.1", port: Int = 8080) {
            self.host = host
            self.port = port
            self.workerCount = max(2, 2 * Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
            self.workQueueCapacity = nil
            self.maxConnections = 1_024
            self.listenBacklog = 511
            self.maxHeadBytes = 81_920
            self.maxHeaderCount = 256
            self.maxBodyBytes = 68_157_440
            self.headerReadTimeout = .seconds(10)
            self.keepAliveIdleTimeout = .seconds(60)
            self.bodyReadTimeout = .seconds(60)
            self.minimumBodyBytesPerSecond = 1_024
            self.bodyRateGracePeriod = .seconds(5)
            self.writeTimeout = .seconds(30)
            self.lingerTimeout = .seconds(2)
            self.queueWaitTimeout = .seconds(20)
            self.controlPaths = []
            self.controlQueueCapacity = 64
        }

        /// The work queue capacity in force: ``workQueueCapacity``, else 64 × ``workerCount`` (at least 256, at
        /// most ``maxConnections``).
        public var effectiveWorkQueueCapacity: Int {
            self.workQueueCapacity ?? min(self.maxConnections, max(256, 64 * self.workerCount))
        }

        /// Checks every field.
        /// - Throws: ``HTTPServerError`` with code ``HTTPServerError/Code/invalidConfiguration`` naming the first
        ///   invalid field.
        func validate() throws(HTTPServerError) {
            let checks: [(Bool, String)] = [
                ((0...65_535).contains(self.port), "port"),
                (self.workerCount >= 1, "workerCount"),
                (self.effectiveWorkQueueCapacity >= 1, "workQueueCapacity"),
                (self.maxConnections >= 1, "maxConnections"),
                (self.listenBacklog >= 1, "listenBacklog"),
                (self.maxHeadBytes >= 64, "maxHeadBytes"),
                (self.maxHeaderCount >= 1, "maxHeaderCount"),
                (self.maxBodyBytes >= 0, "maxBodyBytes"),
                (self.headerReadTimeout > .zero, "headerReadTimeout"),
                (self.keepAliveIdleTimeout > .zero, "keepAliveIdleTimeout"),
                (self.bodyReadTimeout > .zero, "bodyReadTimeout"),
                (self.minimumBodyBytesPerSecond >= 0, "minimumBodyBytesPerSecond"),
                (self.bodyRateGracePeriod >= .zero, "bodyRateGracePeriod"),
                (self.writeTimeout > .zero, "writeTimeout"),
                (self.lingerTimeout >= .zero, "lingerTimeout"),
                (self.queueWaitTimeout > .zero, "queueWaitTimeout"),
                (self.controlQueueCapacity >= 1, "controlQueueCapacity"),
            ]
            for (isValid, field) in checks where !isValid {
                throw HTTPServerError(.invalidConfiguration, detail: field)
            }
        }
    }
}
