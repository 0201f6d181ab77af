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
    /// Bytes received but not yet consumed (plaintext on a TLS connection).
    var pending: [UInt8]
    /// The TLS session when the server speaks TLS; `nil` for plain HTTP.
    let tls: TLSSession?
}
