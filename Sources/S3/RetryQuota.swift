import Synchronization

/// The token bucket of AWS standard retry mode, shared by every request of one client: a retry is only made
/// while tokens remain, so a failing endpoint is not hammered.
///
/// See https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html.
public final class RetryQuota: Sendable {
    /// Tokens when full. Default: 500.
    public let capacity: Int
    /// The cost of a retry after an error other than a timeout. Default: 5.
    public let retryCost: Int
    /// The cost of a retry after a timeout. Default: 10.
    public let timeoutCost: Int
    /// The tokens returned by a request that succeeded on its first attempt. Default: 1.
    public let successRefund: Int
    private let tokens: Mutex<Int>

    /// Creates a full bucket.
    /// - Parameters:
    ///   - capacity: Tokens when full. Default: 500.
    ///   - retryCost: Cost of a retry. Default: 5.
    ///   - timeoutCost: Cost of a retry after a timeout. Default: 10.
    ///   - successRefund: Refund of a first-attempt success. Default: 1.
    public init(capacity: Int = 500, retryCost: Int = 5, timeoutCost: Int = 10, successRefund: Int = 1) {
        self.capacity = capacity
        self.retryCost = retryCost
        self.timeoutCost = timeoutCost
        self.successRefund = successRefund
        self.tokens = Mutex(capacity)
    }

    /// The tokens left.
    public var available: Int { self.tokens.withLock { $0 } }

    /// Takes the cost of one retry.
    /// - Parameter afterTimeout: Whether the failed attempt timed out.
    /// - Returns: The tokens taken, or `nil` when too few are left (no retry then).
    public func acquire(afterTimeout: Bool) -> Int? {
        let cost = afterTimeout ? self.timeoutCost : self.retryCost
        return self.tokens.withLock { tokens in
            guard tokens >= cost else {
                return nil
            }
            tokens -= cost
            return cost
        }
    }

    /// Records a success: returns what its retries took, or ``successRefund`` when it needed none.
    /// - Parameter retryCost: The tokens the request's retries took.
    public func recordSuccess(retryCost: Int) {
        let refund = retryCost > 0 ? retryCost : self.successRefund
        self.tokens.withLock { $0 = min(self.capacity, $0 + refund) }
    }
}
