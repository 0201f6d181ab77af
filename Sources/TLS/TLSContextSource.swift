import Synchronization

/// The ``TLSContext`` of a ``TLSConnector``: created when the connector is, or on its first connection, once.
///
/// Loading the CA file initialises OpenSSL and holds the parsed certificates (about a megabyte of resident memory
/// between them), which a service writing to a local directory never needs.
final class TLSContextSource: Sendable {
    /// The CA file to load.
    private let caFilePath: String
    /// The loaded context, or the error loading it gave (kept, so every connection reports the same error).
    private let loaded = Mutex<Result<TLSContext, TLSError>?>(nil)

    /// Prepares a source; nothing is loaded yet.
    /// - Parameter caFilePath: The PEM file of trusted CA certificates.
    init(caFilePath: String) {
        self.caFilePath = caFilePath
    }

    /// The context, loading it on the first call.
    /// - Returns: The context.
    /// - Throws: ``TLSError`` with code `invalidConfiguration` as ``TLSContext/init(caFilePath:)``.
    func context() throws(TLSError) -> TLSContext {
        let result = loaded.withLock { loaded in
            if let loaded { return loaded }
            let result: Result<TLSContext, TLSError>
            do throws(TLSError) {
                result = .success(try TLSContext(caFilePath: caFilePath))
            } catch {
                result = .failure(error)
            }
            loaded = result
            return result
        }
        return try result.get()
    }
}
