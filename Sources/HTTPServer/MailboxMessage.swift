/// Why a worker gives a connection back to the reactor.
enum MailboxMessage: Sendable {
    /// Wait for the next request on this kept-alive connection.
    case resume(ConnectionState)
    /// An error response was sent and the write side shut down; discard input until the peer closes or the
    /// linger time passes, then close.
    case linger(ConnectionState)
}
