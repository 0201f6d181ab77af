public import HTTPClient

/// A failure of an HTTP/2 exchange or connection.
///
/// ``detail`` says what happened in words a log reader can act on (the HTTP/2 error code of a reset or a
/// `GOAWAY`, the limit that was exceeded); it never contains a header value, so no credential can leak through it.
public struct HTTP2ClientError: Error, Sendable, Hashable, CustomStringConvertible {
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

        /// The connection could not be opened (resolution, refusal, TLS handshake).
        public static let connectFailed = Code(rawValue: "connectFailed")
        /// The server did not choose `h2` by ALPN, or did not start HTTP/2 with its SETTINGS; use HTTP/1.1.
        public static let notNegotiated = Code(rawValue: "notNegotiated")
        /// Connecting took longer than its timeout, or a stream made no progress for the request timeout.
        public static let timeout = Code(rawValue: "timeout")
        /// The server refused the stream before processing it (`REFUSED_STREAM`, or a `GOAWAY` whose last stream
        /// is older, or the connection closed before the request left): sending it again is safe.
        public static let refused = Code(rawValue: "refused")
        /// The server reset the stream (`RST_STREAM`) after it may have started processing it.
        public static let streamReset = Code(rawValue: "streamReset")
        /// The connection broke (end of stream, I/O error, `GOAWAY` with an error) while the stream was open.
        public static let connectionLost = Code(rawValue: "connectionLost")
        /// The peer broke the HTTP/2 protocol, or sent a response that is not valid HTTP (no `:status`).
        public static let protocolError = Code(rawValue: "protocolError")
        /// The response head or body exceeded the configured limit; the stream was cancelled.
        public static let responseTooLarge = Code(rawValue: "responseTooLarge")
        /// The request cannot be sent: a header name or value is not valid in HTTP/2.
        public static let invalidRequest = Code(rawValue: "invalidRequest")
    }

    /// What went wrong.
    public let code: Code
    /// A one-line explanation without header values.
    public let detail: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - detail: The explanation; it must not contain header values.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `h2.<code>: <detail>`.
    public var description: String { "h2.\(self.code.rawValue): \(self.detail)" }

    /// Whether the server certainly did not process the request, so it can go again on another connection.
    public var isRetrySafe: Bool { self.code == .refused }

    /// The same failure in ``HTTPClientError``'s catalogue, for callers that already handle HTTP/1.1 failures:
    /// `connectFailed` and `notNegotiated` become `connectFailed`; `timeout` stays; `refused`, `streamReset`
    /// and `connectionLost` become `connectionReset`; `protocolError` becomes `invalidResponse`;
    /// `responseTooLarge` and `invalidRequest` stay. ``description`` is the detail.
    public var httpClientError: HTTPClientError {
        switch self.code {
        case .connectFailed, .notNegotiated:
            return HTTPClientError(.connectFailed, detail: self.description)
        case .timeout:
            return HTTPClientError(.timeout, detail: self.description)
        case .protocolError:
            return HTTPClientError(.invalidResponse, detail: self.description)
        case .responseTooLarge:
            return HTTPClientError(.responseTooLarge, detail: self.description)
        case .invalidRequest:
            return HTTPClientError(.invalidRequest, detail: self.description)
        default:
            return HTTPClientError(.connectionReset, detail: self.description)
        }
    }

    /// The name of an HTTP/2 error code (RFC 9113 §7), e.g. `REFUSED_STREAM`, or its number when unknown.
    /// - Parameter code: The error code of a `RST_STREAM` or `GOAWAY` frame.
    /// - Returns: The name.
    static func name(ofErrorCode code: UInt32) -> String {
        let names = [
            "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
            "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR",
            "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
        ]
        return code < names.count ? names[Int(code)] : "error \(code)"
    }
}
