/// A failure to obtain AWS credentials or a secret.
///
/// ``message`` names the source, the variable, the file (with a line number) or the endpoint involved, but never a
/// secret access key, a session token, a web identity token, an authorization token or a secret value.
public struct CredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; the static members are the catalogue, and ``Code/name`` is stable.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name of the code, for example `"notConfigured"`.
        public let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// No credential source is configured (or the one asked for has none of its settings).
        public static let notConfigured = Code("notConfigured")
        /// A setting is present but unusable: a malformed URL, a host outside the allowed set, a partial key
        /// pair, a profile that is missing or loops, an unsupported profile kind.
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// A token or configuration file could not be read.
        public static let fileUnreadable = Code("fileUnreadable")
        /// An endpoint uses `https` but no TLS connector was supplied (see ``AWSHTTPConnectors/tls``).
        public static let tlsUnavailable = Code("tlsUnavailable")
        /// Connecting, sending or receiving failed, or an endpoint did not answer within its timeout.
        public static let transportFailed = Code("transportFailed")
        /// The endpoint answered with an unexpected HTTP status and no recognisable error document.
        public static let httpStatus = Code("httpStatus")
        /// The service answered with an error code (see ``CredentialError/serviceCode``).
        public static let serviceError = Code("serviceError")
        /// The answer could not be parsed or lacks a required field.
        public static let invalidResponse = Code("invalidResponse")
        /// The source handed out credentials that had already expired.
        public static let expiredCredentials = Code("expiredCredentials")
        /// A wrapped provider outside this module failed; ``CredentialError/message`` describes its error.
        public static let providerFailed = Code("providerFailed")

        /// The same as ``name``.
        public var description: String { name }
    }

    /// The kind of failure.
    public let code: Code
    /// The credential source or service involved, for example `container`, `instanceMetadata`, `sts` or
    /// `secretsManager`.
    public let source: String
    /// A one-line explanation without secrets.
    public let message: String
    /// The HTTP status of the answer, when there was one.
    public let httpStatus: Int?
    /// The error code the service sent (for example `InvalidIdentityToken` or `ResourceNotFoundException`).
    public let serviceCode: String?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - source: The credential source or service involved.
    ///   - message: The explanation; it must not contain secrets.
    ///   - httpStatus: The HTTP status of the answer, if any (default `nil`).
    ///   - serviceCode: The service's error code, if any (default `nil`).
    public init(code: Code, source: String, message: String, httpStatus: Int? = nil, serviceCode: String? = nil) {
        self.code = code
        self.source = source
        self.message = message
        self.httpStatus = httpStatus
        self.serviceCode = serviceCode
    }

    /// Whether retrying the same call later may succeed: transport failures, HTTP 5xx and 429, and the service
    /// codes that AWS documents as transient (throttling, internal errors, `IDPCommunicationError`).
    public var isTransient: Bool {
        if code == .transportFailed { return true }
        if let httpStatus, httpStatus >= 500 || httpStatus == 429 { return true }
        if let serviceCode { return Self.transientServiceCodes.contains(serviceCode) }
        return false
    }

    /// `"<source>: <code>: <message>"`, followed by the HTTP status and service code when known.
    public var description: String {
        var text = "\(source): \(code.name): \(message)"
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        if let serviceCode { text += " [\(serviceCode)]" }
        return text
    }

    /// Service error codes worth retrying.
    private static let transientServiceCodes: Set<String> = [
        "IDPCommunicationError", "InternalServiceError", "InternalFailure", "ServiceUnavailable", "Throttling",
        "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException", "RequestTimeout",
    ]
}
