import HTTPCore

/// A complete request head waiting for a worker.
struct RequestJob: Sendable {
    /// The connection, with the bytes after the head in ``ConnectionState/pending``.
    var connection: ConnectionState
    /// The parsed head.
    let head: HTTPRequestHead
    /// How the body is framed, already validated by the reactor.
    let framing: HTTPBodyFraming
    /// When the head was complete; request durations start here.
    let receivedAt: ContinuousClock.Instant
}
