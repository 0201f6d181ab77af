extension RemoteMapper {
    /// Whether calls may use HTTP/2 (`remote_http2`).
    public enum HTTP2Mode: String, Sendable, Hashable, CaseIterable {
        /// HTTP/2 when the base URL is `https` and the server chooses `h2` by ALPN: the parallel calls of a
        /// batch become concurrent streams on one shared connection. Otherwise HTTP/1.1 keep-alive.
        case auto
        /// HTTP/1.1 keep-alive only, one connection per call in flight.
        case off
    }
}
