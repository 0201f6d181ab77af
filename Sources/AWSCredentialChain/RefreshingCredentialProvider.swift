public import AWSSigning
public import Foundation

/// Caches the credentials of a provider that fetches them (STS, container, IMDS) and renews them ahead of expiry,
/// the way botocore does.
///
/// With the default configuration:
/// - more than 15 minutes of validity left: the cached credentials are returned;
/// - 10 to 15 minutes left: they are still returned at once, and one background refresh starts;
/// - less than 10 minutes left: callers wait for a refresh (one refresh serves every waiting caller); if it
///   fails, the cached credentials are returned while they have not actually expired;
/// - expired, or nothing cached yet: callers wait for a refresh and get its error if it fails.
///
/// Credentials without an expiry are kept for good. After a failed refresh, no new one starts for
/// ``Configuration/failureBackoff``. Every failed refresh is reported to ``Configuration/onRefreshFailure`` (the
/// error never contains a secret); the provider itself does not log.
public final class RefreshingCredentialProvider: CredentialProvider {
    /// Timing, clock and reporting.
    public struct Configuration: Sendable {
        /// How long before expiry a background refresh starts. Default: 15 minutes.
        public var advisoryWindow: Duration
        /// How long before expiry callers wait for a refresh. Default: 10 minutes.
        public var mandatoryWindow: Duration
        /// How long after a failed refresh no new refresh starts. Default: 5 seconds.
        public var failureBackoff: Duration
        /// The clock. Default: the system clock.
        public var now: @Sendable () -> Date
        /// Runs a background refresh. Default: a new detached thread (refreshes are minutes apart).
        public var runInBackground: @Sendable (@escaping @Sendable () -> Void) -> Void
        /// Told about every failed refresh, outside any lock; the app logs it. Default: none.
        public var onRefreshFailure: (@Sendable (CredentialError) -> Void)?

        /// Creates the default configuration.
        public init() {
            advisoryWindow = .seconds(900)
            mandatoryWindow = .seconds(600)
            failureBackoff = .seconds(5)
            now = { Date() }
            runInBackground = { work in Thread.detachNewThread(work) }
            onRefreshFailure = nil
        }
    }

    /// Names the wrapped source in errors from a provider outside this module.
    public let source: String
    private let cell: RefreshCell<AWSCredentials>

    /// Wraps a provider.
    ///
    /// - Parameters:
    ///   - base: Fetches new credentials on every call.
    ///   - source: Names the source in errors that `base` throws without being a ``CredentialError``
    ///     (default `"provider"`).
    ///   - configuration: Windows, clock and failure reporting (see ``Configuration`` for defaults).
    public init(
        base: any CredentialProvider,
        source: String = "provider",
        configuration: Configuration = Configuration()
    ) {
        self.source = source
        let advisory = configuration.advisoryWindow.timeInterval
        let mandatory = configuration.mandatoryWindow.timeInterval
        let now = configuration.now
        cell = RefreshCell(
            load: { () throws(CredentialError) in
                let credentials = try CredentialError.calling(base, source: source)
                if credentials.isExpired(at: now()) {
                    throw CredentialError(
                        code: .expiredCredentials,
                        source: source,
                        message: "the source handed out credentials that have already expired"
                    )
                }
                return credentials
            },
            freshness: { credentials, _, time in
                guard let expiration = credentials.expiration else { return .fresh }
                let left = expiration.timeIntervalSince(time)
                if left <= 0 { return .unusable }
                if left <= mandatory { return .refreshNow }
                if left <= advisory { return .refreshSoon }
                return .fresh
            },
            now: now,
            runInBackground: configuration.runInBackground,
            failureBackoff: configuration.failureBackoff.timeInterval,
            onFailure: configuration.onRefreshFailure
        )
    }

    /// The cached credentials, refreshed as described in the type's documentation.
    ///
    /// - Returns: Unexpired credentials.
    /// - Throws: ``CredentialError`` when no unexpired credentials can be had.
    public func credentials() throws(CredentialError) -> AWSCredentials {
        try cell.get()
    }

    /// Drops the cached credentials, so the next call waits for new ones (for example after a service answered
    /// `ExpiredToken` or `InvalidToken`).
    public func invalidate() {
        cell.invalidate()
    }
}
