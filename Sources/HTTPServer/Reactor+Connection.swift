import HTTPCore

/// What the reactor knows of each connection it owns.
extension Reactor {
    /// Where a connection the reactor owns stands.
    enum Phase {
        /// The TLS handshake is in progress.
        case handshaking
        /// Waiting for the first byte of a request.
        case idle
        /// Part of a request head has arrived.
        case readingHead
        /// An error response was sent; input is discarded until close.
        case lingering
        /// Earlier responses still wait unsent in the socket (the client does not read them): the next request is
        /// neither read nor parsed until they drain, and the connection is closed if they do not within the write
        /// timeout.
        case parked
    }

    /// One connection while the reactor owns it.
    final class Connection {
        /// The socket, TLS session and buffered bytes.
        var state: ConnectionState
        /// Where it stands.
        var phase: Phase
        /// When the current phase times out.
        var deadline: ContinuousClock.Instant
        /// Whether no request has been served yet; the header deadline then counts from accept.
        var isFresh: Bool
        /// The incremental head parser.
        var parser: RequestHeadParser
        /// Bytes discarded while lingering.
        var discardedBytes = 0
        /// Whether epoll watches for writability instead of readability (TLS asked to write first).
        var watchesWritable = false

        /// Creates a connection record.
        init(
            state: ConnectionState,
            phase: Phase,
            deadline: ContinuousClock.Instant,
            isFresh: Bool,
            limits: HTTPHeadLimits
        ) {
            self.state = state
            self.phase = phase
            self.deadline = deadline
            self.isFresh = isFresh
            self.parser = RequestHeadParser(limits: limits)
        }
    }
}
