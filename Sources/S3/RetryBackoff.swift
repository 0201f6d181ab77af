/// The pause before a retry in AWS standard mode: full jitter over an exponential ceiling,
/// `random[0,1) × min(2^(n−1), 20 s)` before retry `n` (n = 1 for the second attempt).
public enum RetryBackoff {
    /// The largest ceiling, in seconds.
    public static let maximumSeconds = 20.0

    /// The pause before a retry.
    /// - Parameters:
    ///   - retry: The retry number, 1 or more.
    ///   - random: A number in `0..<1`.
    /// - Returns: The pause.
    public static func delay(retry: Int, random: Double) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(Double(1 << exponent), Self.maximumSeconds)
        return .milliseconds(Int((random * ceiling * 1_000).rounded(.down)))
    }
}
