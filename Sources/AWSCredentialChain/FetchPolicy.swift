/// How one credential or secret endpoint is called: the timeout of every step and how often a failed call is
/// tried again.
///
/// A call is tried again only after a transport failure (refused, reset, timed out) or an HTTP 5xx or 429
/// answer; any other answer is final.
public struct FetchPolicy: Sendable, Hashable {
    /// The longest time to connect, and the longest wait for each read or write.
    public var timeout: Duration
    /// How many times a call is made in all, at least 1.
    public var attempts: Int
    /// The pause between two attempts.
    public var retryDelay: Duration

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - timeout: The connect, read and write timeout.
    ///   - attempts: The number of attempts; values below 1 count as 1.
    ///   - retryDelay: The pause between attempts.
    public init(timeout: Duration, attempts: Int, retryDelay: Duration) {
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.retryDelay = retryDelay
    }

    /// The container endpoint (ECS, EKS Pod Identity): 2 s timeout, 3 attempts 1 s apart, as botocore does.
    public static let container = FetchPolicy(timeout: .seconds(2), attempts: 3, retryDelay: .seconds(1))
    /// The EC2 instance metadata service: 1 s timeout, 2 attempts (one retry) with no pause.
    public static let instanceMetadata = FetchPolicy(timeout: .seconds(1), attempts: 2, retryDelay: .zero)
    /// AWS service endpoints (STS, Secrets Manager): 10 s timeout, 3 attempts 1 s apart.
    public static let awsService = FetchPolicy(timeout: .seconds(10), attempts: 3, retryDelay: .seconds(1))
}
