public import HTTPCore

/// Something the server did, reported to the observer so the application can log or count it.
///
/// The library never logs; it only emits these events. The observer runs on the reactor or a worker thread,
/// synchronously, so it must be fast and thread-safe.
public enum HTTPServerEvent: Sendable {
    /// A connection was accepted.
    case connectionOpened(connectionID: UInt64, remoteAddress: String)
    /// A connection was closed after serving `requestCount` requests.
    case connectionClosed(connectionID: UInt64, requestCount: Int)
    /// A request head was handed to a worker.
    case requestStarted(connectionID: UInt64, head: HTTPRequestHead)
    /// A response was written (or writing it failed; see ``HTTPServerRequestSummary/responseWritten``).
    case requestFinished(HTTPServerRequestSummary)
    /// The server answered an error itself, or a connection failed. `head` is present when it was parsed.
    case serverError(connectionID: UInt64?, error: HTTPServerError, head: HTTPRequestHead?)
}

/// Receives ``HTTPServerEvent``s.
public typealias HTTPServerObserver = @Sendable (HTTPServerEvent) -> Void
