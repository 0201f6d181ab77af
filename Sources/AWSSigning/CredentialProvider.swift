/// A source of AWS credentials: static values, or a chain that fetches and refreshes them.
///
/// Implementations must be cheap to call on every request: return cached credentials and refresh ahead of
/// expiry without blocking callers while the cached ones are still valid.
public protocol CredentialProvider: Sendable {
    /// The credentials to sign the next request with.
    /// - Returns: valid (unexpired) credentials.
    /// - Throws: when no credentials can be had; the error names the source that failed, never a secret.
    func credentials() throws -> AWSCredentials

    /// Drops cached credentials, so that the next ``credentials()`` call fetches new ones: a service answered that
    /// the ones it was sent expired or were revoked before the expiry they carried. Providers that cache nothing
    /// do nothing (the default).
    func invalidate()
}

extension CredentialProvider {
    /// Does nothing: the provider caches nothing.
    public func invalidate() {}
}

/// Credentials that never change (configuration, tests).
public struct StaticCredentialProvider: CredentialProvider {
    /// The credentials returned on every call.
    public let value: AWSCredentials

    /// Wraps fixed credentials.
    /// - Parameter value: the credentials.
    public init(_ value: AWSCredentials) {
        self.value = value
    }

    /// Returns the fixed credentials.
    public func credentials() throws -> AWSCredentials { value }
}
