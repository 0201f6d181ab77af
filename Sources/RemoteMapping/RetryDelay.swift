/// Exponential backoff with jitter between attempts that got no usable `Retry-After`.
struct RetryDelay: Sendable {
    /// The ceiling of the first retry's pause.
    let base: Duration
    /// The longest pause.
    let maximum: Duration

    /// The pause before retry number `retry` (1 for the first retry).
    ///
    /// The ceiling doubles with each retry up to ``maximum``, and the pause is drawn uniformly from the upper
    /// half of it, so parallel callers spread out without retrying at once.
    /// - Parameters:
    ///   - retry: The retry's number, from 1.
    ///   - random: A uniform draw in 0..<1 (tests pass fixed values).
    /// - Returns: The pause.
    func pause(beforeRetry retry: Int, random: Double) -> Duration {
        let ceiling = min(maximum.seconds, base.seconds * Double(1 << min(max(retry - 1, 0), 20)))
        return .seconds(ceiling / 2 + ceiling / 2 * min(max(random, 0), 1))
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
