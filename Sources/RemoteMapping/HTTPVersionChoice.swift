import Synchronization

/// Which HTTP version calls to the mapping API use, as learnt from the server's ALPN answer, and how many calls
/// went each way.
///
/// HTTP/2 is tried first; when the server does not choose `h2`, HTTP/1.1 keep-alive is used for
/// ``recheckInterval`` before HTTP/2 is offered again (a server may be upgraded behind the same name).
final class HTTPVersionChoice: Sendable {
    /// How long a server that declined HTTP/2 is called with HTTP/1.1 before `h2` is offered again.
    static let recheckInterval = Duration.seconds(600)

    private let http1Until = Mutex<ContinuousClock.Instant?>(nil)
    /// Calls made over HTTP/2, failed ones included.
    let http2Calls = Atomic<Int>(0)
    /// Calls made over HTTP/1.1, failed ones included.
    let http1Calls = Atomic<Int>(0)

    /// Creates a choice that tries HTTP/2 first.
    init() {}

    /// Whether the next call should try HTTP/2.
    /// - Parameter now: The current instant.
    /// - Returns: `false` while a recent ALPN answer declined `h2`.
    func triesHTTP2(now: ContinuousClock.Instant = .now) -> Bool {
        http1Until.withLock { until in
            guard let end = until else { return true }
            if now >= end { until = nil }
            return now >= end
        }
    }

    /// Records that the server declined `h2`: HTTP/1.1 for the next ``recheckInterval``.
    /// - Parameter now: The current instant.
    func declineHTTP2(now: ContinuousClock.Instant = .now) {
        http1Until.withLock { $0 = now + Self.recheckInterval }
    }
}
