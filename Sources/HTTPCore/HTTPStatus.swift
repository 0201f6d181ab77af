/// A response status: a three-digit code and its reason phrase.
///
/// Two statuses are equal when their codes are equal; the reason phrase is informative only.
public struct HTTPStatus: Sendable, CustomStringConvertible {
    /// The three-digit status code.
    public let code: Int
    /// The reason phrase sent after the code.
    public let reasonPhrase: String

    /// Creates a status with an explicit reason phrase.
    /// - Parameters:
    ///   - code: The status code, 100–999.
    ///   - reasonPhrase: The reason phrase; must not contain CR or LF.
    public init(code: Int, reasonPhrase: String) {
        self.code = code
        self.reasonPhrase = reasonPhrase
    }

    /// Creates a status with the registered reason phrase for `code` (empty when the code is unregistered).
    /// - Parameter code: The status code, 100–999.
    public init(code: Int) {
        self.init(code: code, reasonPhrase: HTTPStatus.reasonPhrase(for: code))
    }

    /// The code and reason phrase, for example `404 Not Found`.
    public var description: String { "\(self.code) \(self.reasonPhrase)" }

    /// Whether the code is 1xx.
    public var isInformational: Bool { (100..<200).contains(self.code) }

    /// Whether the code is 2xx.
    public var isSuccess: Bool { (200..<300).contains(self.code) }

    /// 100 Continue.
    public static let `continue` = HTTPStatus(code: 100)
    /// 200 OK.
    public static let ok = HTTPStatus(code: 200)
    /// 201 Created.
    public static let created = HTTPStatus(code: 201)
    /// 202 Accepted.
    public static let accepted = HTTPStatus(code: 202)
    /// 204 No Content.
    public static let noContent = HTTPStatus(code: 204)
    /// 304 Not Modified.
    public static let notModified = HTTPStatus(code: 304)
    /// 400 Bad Request.
    public static let badRequest = HTTPStatus(code: 400)
    /// 401 Unauthorized.
    public static let unauthorized = HTTPStatus(code: 401)
    /// 403 Forbidden.
    public static let forbidden = HTTPStatus(code: 403)
    /// 404 Not Found.
    public static let notFound = HTTPStatus(code: 404)
    /// 405 Method Not Allowed.
    public static let methodNotAllowed = HTTPStatus(code: 405)
    /// 408 Request Timeout.
    public static let requestTimeout = HTTPStatus(code: 408)
    /// 411 Length Required.
    public static let lengthRequired = HTTPStatus(code: 411)
    /// 413 Content Too Large. Firehose treats it as a permanent failure; avoid it for Firehose traffic.
    public static let contentTooLarge = HTTPStatus(code: 413)
    /// 415 Unsupported Media Type.
    public static let unsupportedMediaType = HTTPStatus(code: 415)
    /// 429 Too Many Requests.
    public static let tooManyRequests = HTTPStatus(code: 429)
    /// 431 Request Header Fields Too Large.
    public static let requestHeaderFieldsTooLarge = HTTPStatus(code: 431)
    /// 500 Internal Server Error.
    public static let internalServerError = HTTPStatus(code: 500)
    /// 501 Not Implemented.
    public static let notImplemented = HTTPStatus(code: 501)
    /// 502 Bad Gateway.
    public static let badGateway = HTTPStatus(code: 502)
    /// 503 Service Unavailable.
    public static let serviceUnavailable = HTTPStatus(code: 503)
    /// 504 Gateway Timeout.
    public static let gatewayTimeout = HTTPStatus(code: 504)
    /// 505 HTTP Version Not Supported.
    public static let httpVersionNotSupported = HTTPStatus(code: 505)
}

extension HTTPStatus: Hashable {
    /// Compares the codes only.
    /// - Parameters:
    ///   - lhs: A status.
    ///   - rhs: Another status.
    /// - Returns: `true` when the codes are equal.
    public static func == (lhs: HTTPStatus, rhs: HTTPStatus) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only.
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
