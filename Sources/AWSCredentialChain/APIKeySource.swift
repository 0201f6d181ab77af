/// Supplies the API key for calls to a remote service, and is told when the service refused it.
public protocol APIKeySource: Sendable {
    /// The current API key.
    ///
    /// - Returns: The key.
    /// - Throws: When no key can be had; the error never contains the key.
    func apiKey() throws -> String

    /// Forgets the current key so that the next ``apiKey()`` reads it again (call it after a 401 or 403 answer).
    func invalidate()
}
