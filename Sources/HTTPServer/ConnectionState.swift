import HTTPCore

/// A connection as it moves between the reactor and the workers: its descriptor and any received bytes not yet
/// consumed (the start of a body or of a pipelined request). Exactly one thread owns it at a time.
struct ConnectionState: Sendable {
    /// The socket descriptor (non-blocking).
    let fd: Int32
    /// The server-unique connection number reported in events.
    let id: UInt64
    /// The peer address, for example `127.0.0.1:50412`.
    let remoteAddress: String
    /// Requests served so far on this connection.
    var requestCount: Int
    /// Bytes received but not yet consumed.
    var pending: [UInt8]
}

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

/// Why a worker gives a connection back to the reactor.
enum MailboxMessage: Sendable {
    /// Wait for the next request on this kept-alive connection.
    case resume(ConnectionState)
    /// An error response was sent and the write side shut down; discard input until the peer closes or the
    /// linger time passes, then close.
    case linger(ConnectionState)
}
