import Synchronization

/// Stops calling an API that keeps failing, and probes it again after a cool-down.
///
/// Closed: calls go through; ``failureThreshold`` consecutive outage failures open it. Open: calls are refused
/// until ``cooldown`` has passed; then one probe call is let through (half-open) while the others are still
/// refused. A successful probe closes the breaker; a failed one opens it for another cool-down.
final class CircuitBreaker: Sendable {
    /// What the breaker lets through.
    enum Admission: Equatable {
        /// The call may be made.
        case allowed
        /// The call is the half-open probe; report its outcome like any other.
        case probe
        /// The breaker is open; no call is made.
        case refused
    }

    private enum Phase {
        case closed(consecutiveFailures: Int)
        case open(since: ContinuousClock.Instant)
        case probing
    }

    /// Consecutive outage failures that open the breaker.
    let failureThreshold: Int
    /// How long the breaker stays open before a probe.
    let cooldown: Duration
    private let phase = Mutex(Phase.closed(consecutiveFailures: 0))
    private let openings = Atomic<Int>(0)

    /// Creates a closed breaker.
    /// - Parameters:
    ///   - failureThreshold: Consecutive outage failures that open it (at least 1).
    ///   - cooldown: How long it stays open before a probe.
    init(failureThreshold: Int, cooldown: Duration) {
        self.failureThreshold = max(1, failureThreshold)
        self.cooldown = cooldown
    }

    /// Asks whether a call may be made now.
    /// - Parameter now: The current instant.
    /// - Returns: ``Admission/allowed``, ``Admission/probe`` or ``Admission/refused``.
    func admit(now: ContinuousClock.Instant = .now) -> Admission {
        phase.withLock { phase in
            switch phase {
            case .closed:
                return .allowed
            case .open(let since) where now - since >= cooldown:
                phase = .probing
                return .probe
            case .open, .probing:
                return .refused
            }
        }
    }

    /// Records an answer that shows the API is up (any answer except 5xx and malformed ones).
    func recordSuccess() {
        phase.withLock { $0 = .closed(consecutiveFailures: 0) }
    }

    /// Records an outage failure (transport error, timeout, 5xx, malformed answer).
    /// - Parameter now: The current instant.
    func recordFailure(now: ContinuousClock.Instant = .now) {
        let opened = phase.withLock { phase -> Bool in
            switch phase {
            case .closed(let failures) where failures + 1 >= failureThreshold:
                phase = .open(since: now)
                return true
            case .closed(let failures):
                phase = .closed(consecutiveFailures: failures + 1)
                return false
            case .probing:
                phase = .open(since: now)
                return true
            case .open:
                return false
            }
        }
        if opened { openings.add(1, ordering: .relaxed) }
    }

    /// Gives up a probe admission without an outcome (the call was never made), so another probe can go.
    /// - Parameter now: The current instant.
    func releaseProbe(now: ContinuousClock.Instant = .now) {
        phase.withLock { phase in
            if case .probing = phase { phase = .open(since: now - cooldown) }
        }
    }

    /// Whether calls are refused now (open, or half-open with its probe in flight).
    var isOpen: Bool {
        phase.withLock { phase in
            if case .closed = phase { return false }
            return true
        }
    }

    /// How many times the breaker has opened.
    var openCount: Int { openings.load(ordering: .relaxed) }
}
