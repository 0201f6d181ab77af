import AWSSigning

extension CredentialError {
    /// Asks `provider` for credentials, passing a ``CredentialError`` through and wrapping any other error as
    /// ``Code/providerFailed``.
    ///
    /// - Parameters:
    ///   - provider: The provider to ask.
    ///   - source: Names the caller in a wrapped error.
    /// - Returns: The credentials.
    /// - Throws: ``CredentialError``.
    static func calling(_ provider: any CredentialProvider, source: String) throws(CredentialError) -> AWSCredentials {
        do {
            return try provider.credentials()
        } catch let error as CredentialError {
            throw error
        } catch {
            throw CredentialError(code: .providerFailed, source: source, message: "\(error)")
        }
    }

    /// Runs `body`, passing a ``CredentialError`` through and wrapping any other error as ``Code/providerFailed``.
    ///
    /// - Parameters:
    ///   - source: Names the caller in a wrapped error.
    ///   - body: The work.
    /// - Returns: What `body` returns.
    /// - Throws: ``CredentialError``.
    static func wrapping<Value>(source: String, _ body: () throws -> Value) throws(CredentialError) -> Value {
        do {
            return try body()
        } catch let error as CredentialError {
            throw error
        } catch {
            throw CredentialError(code: .providerFailed, source: source, message: "\(error)")
        }
    }
}
