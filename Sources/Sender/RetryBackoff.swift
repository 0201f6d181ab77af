/// Firehose's retry delays: 1 s, doubling each time, ±15 % jitter, capped at 120 s.
public enum RetryBackoff {
    /// The first delay, in seconds.
    public static let initialSeconds = 1.0
    /// The longest delay, in seconds.
    public static let maxSeconds = 120.0
    /// The relative jitter applied to each delay.
    public static let jitter = 0.15

    /// The delay before retry number `attempt`.
    ///
    /// - Parameters:
    ///   - attempt: 1 for the first retry, 2 for the second, and so on.
    ///   - generator: The random source for the jitter.
    /// - Returns: `min(120, 2^(attempt-1) × uniform(0.85, 1.15))` seconds.
    public static func delay<Generator: RandomNumberGenerator>(
        beforeRetry attempt: Int,
        using generator: inout Generator
    ) -> Double {
        let base = initialSeconds * Double(1 << min(max(attempt - 1, 0), 16))
        let factor = Double.random(in: (1 - jitter)...(1 + jitter), using: &generator)
        return min(maxSeconds, base * factor)
    }
}
