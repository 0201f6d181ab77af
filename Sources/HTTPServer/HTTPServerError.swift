public import HTTPCore
import Glibc

/// An error raised by the server: at start-up, while answering a request, or on a connection.
///
/// Request-level codes (``Code/invalidRequest``, ``Code/bodyTooLarge``, the timeouts and the overload codes) are
/// passed to ``HTTPRequestHandler/respondToServerError(_:head:)`` so the application chooses the response.
/// Connection-level codes are only reported to the observer. Equality and hashing use the code only.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// The catalogue of server error codes; the raw value is a stable name for logs and metrics.
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

        /// A configuration value is out of range; ``HTTPServerError/detail`` names it.
        public static let invalidConfiguration = Code(rawValue: "invalidConfiguration")
        /// The host is not an IPv4 or IPv6 literal.
        public static let invalidAddress = Code(rawValue: "invalidAddress")
        /// `socket`, `epoll_create1` or `eventfd` failed; see ``HTTPServerError/errnoCode``.
        public static let socketFailed = Code(rawValue: "socketFailed")
        /// `bind` failed, for example with `EADDRINUSE`; see ``HTTPServerError/errnoCode``.
        public static let bindFailed = Code(rawValue: "bindFailed")
        /// `listen` failed; see ``HTTPServerError/errnoCode``.
        public static let listenFailed = Code(rawValue: "listenFailed")
        /// `start()` was called on a server that was already started.
        public static let alreadyStarted = Code(rawValue: "alreadyStarted")
        /// `accept` failed with an unexpected errno (for example `EMFILE`); accepting pauses briefly.
        public static let acceptFailed = Code(rawValue: "acceptFailed")
        /// The request head or its framing is invalid; ``HTTPServerError/parseError`` says how.
        public static let invalidRequest = Code(rawValue: "invalidRequest")
        /// The declared or decoded body exceeds ``HTTPServer/Configuration/maxBodyBytes``.
        public static let bodyTooLarge = Code(rawValue: "bodyTooLarge")
        /// The request head did not arrive within ``HTTPServer/Configuration/headerReadTimeout``.
        public static let headerTimeout = Code(rawValue: "headerTimeout")
        /// The body did not arrive within ``HTTPServer/Configuration/bodyReadTimeout`` or too slowly.
        public static let bodyTimeout = Code(rawValue: "bodyTimeout")
        /// A connection arrived while ``HTTPServer/Configuration/maxConnections`` were open.
        public static let tooManyConnections = Code(rawValue: "tooManyConnections")
        /// A request head arrived while the work queue was full.
        public static let queueFull = Code(rawValue: "queueFull")
        /// A request waited longer than ``HTTPServer/Configuration/queueWaitTimeout`` for a free worker.
        public static let queueTimeout = Code(rawValue: "queueTimeout")
        /// Reading from a connection failed or the peer closed it mid-request.
        public static let readFailed = Code(rawValue: "readFailed")
        /// Writing a response failed; see ``HTTPServerError/errnoCode``.
        public static let writeFailed = Code(rawValue: "writeFailed")
        /// The peer did not accept response bytes within ``HTTPServer/Configuration/writeTimeout``.
        public static let writeTimeout = Code(rawValue: "writeTimeout")
        /// The TLS certificate chain or private key cannot be loaded, or they do not match;
        /// ``HTTPServerError/detail`` has the file and OpenSSL's reason.
        public static let tlsConfigurationFailed = Code(rawValue: "tlsConfigurationFailed")
        /// A client's TLS handshake failed (no common version or cipher, not TLS at all, an alert, a reset);
        /// the connection is closed without a response. ``HTTPServerError/detail`` has OpenSSL's reason.
        public static let tlsHandshakeFailed = Code(rawValue: "tlsHandshakeFailed")
    }

    /// What went wrong.
    public let code: Code
    /// The `errno` captured right after the failing system call, when there was one.
    public let errnoCode: Int32?
    /// The parse error behind ``Code/invalidRequest``.
    public let parseError: HTTPParseError?
    /// Extra context, such as the configuration field or the address.
    public let detail: String?

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - errnoCode: The captured `errno`, if any.
    ///   - parseError: The parse error, for ``Code/invalidRequest``.
    ///   - detail: Extra context.
    public init(_ code: Code, errnoCode: Int32? = nil, parseError: HTTPParseError? = nil, detail: String? = nil) {
        self.code = code
        self.errnoCode = errnoCode
        self.parseError = parseError
        self.detail = detail
    }

    /// A ``Code/queueTimeout`` error whose detail says how long the request waited.
    /// - Parameter waited: The time since its head was complete.
    /// - Returns: The error.
    static func queueTimeout(waited: Duration) -> HTTPServerError {
        let seconds = Double(waited.components.seconds) + Double(waited.components.attoseconds) * 1e-18
        let detail = "waited \(Int(seconds.rounded())) s for a free worker; the server is saturated"
        return HTTPServerError(.queueTimeout, detail: detail)
    }

    /// The status the server would answer with by default.
    ///
    /// Parse errors use their own status (400, 431, 501, 505); ``Code/bodyTooLarge`` is 400, never 413, because
    /// Firehose treats 413 as a permanent failure and drops the batch; timeouts are 408; overload is 503.
    public var suggestedStatus: HTTPStatus {
        switch self.code {
        case .invalidRequest: self.parseError?.status ?? .badRequest
        case .bodyTooLarge: .badRequest
        case .headerTimeout, .bodyTimeout: .requestTimeout
        case .tooManyConnections, .queueFull, .queueTimeout: .serviceUnavailable
        default: .internalServerError
        }
    }

    /// A one-line description for logs.
    public var description: String {
        var text = "HTTPServerError(\(self.code.rawValue)"
        if let errnoCode = self.errnoCode {
            text += ", errno \(errnoCode) (\(String(cString: strerror(errnoCode))))"
        }
        if let parseError = self.parseError {
            text += ", \(parseError.code.rawValue)"
        }
        if let detail = self.detail {
            text += ", \(detail)"
        }
        return text + ")"
    }
}

extension HTTPServerError: Hashable {
    /// Compares the codes.
    /// - Parameters:
    ///   - lhs: An error.
    ///   - rhs: Another error.
    /// - Returns: `true` when the codes are equal.
    public static func == (lhs: HTTPServerError, rhs: HTTPServerError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code.
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
