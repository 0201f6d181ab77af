/// A failure to sign a request or to compute a digest.
///
/// ``message`` names the offending part of the request (a header name, the path, a query name) but never a secret
/// access key, a session token or a derived key.
public struct SigningError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; the static members are the catalogue, and ``Code/name`` is stable.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name of the code, for example `"invalidRequest"`.
        public let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The request cannot be signed as given: a bad method, path, header, query item, payload hash or expiry.
        public static let invalidRequest = Code("invalidRequest")
        /// The signer's configuration cannot be used: an empty or malformed region, service or access key.
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// The credentials expired at or before the signing time.
        public static let expiredCredentials = Code("expiredCredentials")
        /// libcrypto failed (an algorithm could not be fetched, or a digest or MAC call returned an error).
        public static let cryptoFailure = Code("cryptoFailure")

        /// The same as ``name``.
        public var description: String { name }
    }

    /// The kind of failure.
    public let code: Code
    /// A one-line explanation without secrets.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: The explanation; it must not contain secrets.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `"<code>: <message>"`.
    public var description: String { "\(code.name): \(message)" }
}
