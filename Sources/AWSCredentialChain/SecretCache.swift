public import Foundation

/// An API key kept from a Secrets Manager secret and read again periodically.
///
/// The key is ``SecretValue/apiKey`` (the `api_key` member of a JSON secret, or the whole text). The first call
/// reads the secret; once it is older than ``Configuration/refreshInterval`` the cached key is still returned and
/// one background read starts. A failed read keeps the cached key, reports the failure to
/// ``Configuration/onRefreshFailure`` and waits ``Configuration/failureBackoff`` before trying again.
/// ``invalidate()`` makes the next call wait for a fresh read (and fail if that read fails).
///
/// The cache never logs or describes the key.
public final class SecretCache: APIKeySource {
    /// Timing, clock and reporting.
    public struct Configuration: Sendable {
        /// How old the cached key may get before a background read starts. Default: 10 minutes.
        public var refreshInterval: Duration
        /// How long after a failed read no new read starts. Default: 5 seconds.
        public var failureBackoff: Duration
        /// The clock. Default: the system clock.
        public var now: @Sendable () -> Date
        /// Runs a background read. Default: a new detached thread.
        public var runInBackground: @Sendable (@escaping @Sendable () -> Void) -> Void
        /// Told about every failed read, outside any lock; the app logs it. Default: none.
        public var onRefreshFailure: (@Sendable (CredentialError) -> Void)?

        /// Creates the default configuration.
        public init() {
            refreshInterval = .seconds(600)
            failureBackoff = .seconds(5)
            now = { Date() }
            runInBackground = { work in Thread.detachNewThread(work) }
            onRefreshFailure = nil
        }
    }

    /// The secret name or ARN.
    public let secretID: String
    private let cell: RefreshCell<String>

    /// Creates an empty cache; nothing is read until the first call.
    ///
    /// - Parameters:
    ///   - client: Reads the secret.
    ///   - secretID: The secret name or ARN.
    ///   - configuration: Interval, clock and failure reporting (see ``Configuration`` for defaults).
    public init(client: SecretsManagerClient, secretID: String, configuration: Configuration = Configuration()) {
        self.secretID = secretID
        let interval = configuration.refreshInterval.timeInterval
        cell = RefreshCell(
            load: { () throws(CredentialError) in try client.getSecretValue(secretID: secretID).apiKey() },
            freshness: { _, fetchedAt, time in time.timeIntervalSince(fetchedAt) < interval ? .fresh : .refreshSoon },
            now: configuration.now,
            runInBackground: configuration.runInBackground,
            failureBackoff: configuration.failureBackoff.timeInterval,
            onFailure: configuration.onRefreshFailure
        )
    }

    /// The API key.
    ///
    /// - Returns: The cached key, or one read now when there is none (or it was invalidated).
    /// - Throws: ``CredentialError`` when the key has to be read and the read fails.
    public func apiKey() throws(CredentialError) -> String {
        try cell.get()
    }

    /// Makes the next ``apiKey()`` read the secret again and wait for it.
    public func invalidate() {
        cell.invalidate()
    }
}
