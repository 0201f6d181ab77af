public import HTTPClient

/// A failure to open or use a TLS connection (or the proxy tunnel under it).
///
/// ``reason`` says what went wrong in words a log reader can act on (for a verification failure, OpenSSL's text
/// such as `unable to get local issuer certificate` or `hostname mismatch`); it never contains proxy credentials.
public struct TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; the static members are the catalogue and ``Code/rawValue`` is a stable name.
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        /// The stable code name.
        public let rawValue: String

        /// Creates a code from its stable name.
        /// - Parameter rawValue: The code name.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The stable code name.
        public var description: String { self.rawValue }

        /// The TLS settings cannot be used: the CA file is missing or holds no certificate, a proxy URL is
        /// malformed, or OpenSSL refused a setting.
        public static let invalidConfiguration = Code(rawValue: "invalidConfiguration")
        /// The TCP connection (to the server or to the proxy) could not be established.
        public static let connectFailed = Code(rawValue: "connectFailed")
        /// The HTTP proxy refused the `CONNECT` request or answered with something that is not HTTP.
        public static let proxyFailed = Code(rawValue: "proxyFailed")
        /// The TLS handshake failed for a reason other than certificate verification (no common protocol
        /// version or cipher, an alert from the server, the server closed the connection).
        public static let handshakeFailed = Code(rawValue: "handshakeFailed")
        /// The server's certificate chain does not lead to a trusted CA, has expired, or does not name the host.
        public static let verificationFailed = Code(rawValue: "verificationFailed")
        /// Connecting, the handshake, a read or a write took longer than allowed.
        public static let timeout = Code(rawValue: "timeout")
        /// The peer reset the connection, or closed it without a TLS `close_notify` before the data was complete.
        public static let connectionReset = Code(rawValue: "connectionReset")
        /// The peer sent data that is not valid TLS, or OpenSSL failed after the handshake.
        public static let protocolError = Code(rawValue: "protocolError")
    }

    /// What went wrong.
    public let code: Code
    /// A one-line explanation without secrets.
    public let reason: String
    /// The X.509 verification result (`X509_V_ERR_*`) for ``Code/verificationFailed``.
    public let verifyResult: Int?
    /// The `errno` of a failed system call, when there was one.
    public let errnoCode: Int32?

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - reason: The explanation; it must not contain secrets.
    ///   - verifyResult: The X.509 verification result, if any.
    ///   - errnoCode: The captured `errno`, if any.
    public init(_ code: Code, _ reason: String, verifyResult: Int? = nil, errnoCode: Int32? = nil) {
        self.code = code
        self.reason = reason
        self.verifyResult = verifyResult
        self.errnoCode = errnoCode
    }

    /// `tls.<code>: <reason>`.
    public var description: String { "tls.\(self.code.rawValue): \(self.reason)" }

    /// The same failure as an ``HTTPClientError``, the error type of ``HTTPTransportConnector``: timeouts stay
    /// `timeout`, resets stay `connectionReset`, every failure to establish the connection (including TLS and
    /// proxy failures) is `connectFailed`, and anything else is `ioFailed`; ``description`` is the detail.
    public var httpClientError: HTTPClientError {
        switch self.code {
        case .timeout:
            return HTTPClientError(.timeout, errnoCode: self.errnoCode, detail: self.description)
        case .connectionReset:
            return HTTPClientError(.connectionReset, errnoCode: self.errnoCode, detail: self.description)
        case .connectFailed, .proxyFailed, .handshakeFailed, .verificationFailed, .invalidConfiguration:
            return HTTPClientError(.connectFailed, errnoCode: self.errnoCode, detail: self.description)
        default:
            return HTTPClientError(.ioFailed, errnoCode: self.errnoCode, detail: self.description)
        }
    }

    /// Converts a transport error met while tunnelling or during TLS into a ``TLSError``.
    /// - Parameters:
    ///   - error: The transport error.
    ///   - context: What was being done, for example `handshake`.
    /// - Returns: `timeout`, `connectionReset`, `connectFailed` or `protocolError`.
    static func transport(_ error: HTTPClientError, during context: String) -> TLSError {
        let detail = error.detail.map { "\(context): \($0)" } ?? context
        switch error.code {
        case .timeout:
            return TLSError(.timeout, detail, errnoCode: error.errnoCode)
        case .connectionReset:
            return TLSError(.connectionReset, detail, errnoCode: error.errnoCode)
        case .connectFailed:
            return TLSError(.connectFailed, detail, errnoCode: error.errnoCode)
        default:
            return TLSError(.protocolError, "\(detail) (\(error.code))", errnoCode: error.errnoCode)
        }
    }
}
