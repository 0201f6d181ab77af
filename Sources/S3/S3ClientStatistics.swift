import Synchronization

/// Counters of an ``S3Client`` since it was created.
public struct S3ClientStatistics: Sendable, Hashable {
    /// HTTP requests sent (every attempt counts).
    public var requests: Int
    /// Attempts made after a retryable failure.
    public var retries: Int
    /// Operations that failed for good.
    public var failures: Int
    /// Times the clock offset was corrected after `RequestTimeTooSkewed`.
    public var clockCorrections: Int
    /// Times the cached credentials were dropped and fetched again after S3 refused their session token
    /// (`ExpiredToken`, `InvalidToken`, `TokenRefreshRequired`).
    public var credentialRefreshes: Int
    /// Multipart uploads aborted after a failure (successfully or not).
    public var abortedUploads: Int
}

/// The atomic counters behind ``S3ClientStatistics``.
final class StatisticsCounters: Sendable {
    /// See ``S3ClientStatistics/requests``.
    let requests = Atomic<Int>(0)
    /// See ``S3ClientStatistics/retries``.
    let retries = Atomic<Int>(0)
    /// See ``S3ClientStatistics/failures``.
    let failures = Atomic<Int>(0)
    /// See ``S3ClientStatistics/clockCorrections``.
    let clockCorrections = Atomic<Int>(0)
    /// See ``S3ClientStatistics/credentialRefreshes``.
    let credentialRefreshes = Atomic<Int>(0)
    /// See ``S3ClientStatistics/abortedUploads``.
    let abortedUploads = Atomic<Int>(0)

    /// A consistent-enough copy for reporting.
    var snapshot: S3ClientStatistics {
        S3ClientStatistics(
            requests: self.requests.load(ordering: .relaxed),
            retries: self.retries.load(ordering: .relaxed),
            failures: self.failures.load(ordering: .relaxed),
            clockCorrections: self.clockCorrections.load(ordering: .relaxed),
            credentialRefreshes: self.credentialRefreshes.load(ordering: .relaxed),
            abortedUploads: self.abortedUploads.load(ordering: .relaxed)
        )
    }
}
