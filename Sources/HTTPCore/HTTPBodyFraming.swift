/// How the end of a message body is found (RFC 9112 §6.3).
public enum HTTPBodyFraming: Sendable, Hashable {
    /// The message has no body.
    case none
    /// The body is exactly this many bytes.
    case contentLength(Int)
    /// The body uses the chunked transfer coding; decode it with ``ChunkedDecoder``.
    case chunked
    /// The body runs until the connection closes (responses only).
    case untilClose

    /// Determines the framing of a request body.
    ///
    /// Rules, strictest reading of RFC 9112 §6: `Transfer-Encoding` together with `Content-Length` is refused
    /// (request smuggling); `Transfer-Encoding` in HTTP/1.0, empty, or with `chunked` repeated is refused (400);
    /// any coding other than `chunked` is unsupported (501); every `Content-Length` value (repeated fields or
    /// list elements) must be the same decimal number. Without either field the request has no body.
    /// - Parameter head: The request head.
    /// - Returns: `.none`, `.contentLength(n)` or `.chunked`.
    /// - Throws: `conflictingFraming`, `invalidTransferEncoding`, `unsupportedTransferEncoding` or
    ///   `invalidContentLength`.
    public static func forRequest(_ head: HTTPRequestHead) throws(HTTPParseError) -> HTTPBodyFraming {
        let codings = Self.transferCodings(head.headers)
        let lengths = head.headers.values(for: "Content-Length")
        if let codings {
            guard lengths.isEmpty else {
                throw HTTPParseError(.conflictingFraming)
            }
            guard head.version == .http1_1, !codings.isEmpty else {
                throw HTTPParseError(.invalidTransferEncoding)
            }
            if codings.contains(where: { !ASCII.caseInsensitiveEquals($0, "chunked") }) {
                throw HTTPParseError(.unsupportedTransferEncoding)
            }
            guard codings.count == 1 else {
                throw HTTPParseError(.invalidTransferEncoding)
            }
            return .chunked
        }
        guard let length = try Self.contentLength(lengths) else {
            return .none
        }
        return length == 0 ? .none : .contentLength(length)
    }

    /// Determines the framing of a response body.
    ///
    /// Responses to HEAD, 1xx, 204 and 304 have no body. A final `chunked` coding means chunked (other codings
    /// before it are left for the caller to see in the head); any other `Transfer-Encoding` means the body runs
    /// until close. Otherwise `Content-Length` decides, and without it the body runs until close.
    /// - Parameters:
    ///   - head: The response head.
    ///   - requestMethod: The method of the request this response answers.
    /// - Returns: The framing.
    /// - Throws: `invalidContentLength` for a malformed or inconsistent `Content-Length`.
    public static func forResponse(
        _ head: HTTPResponseHead,
        requestMethod: HTTPMethod
    ) throws(HTTPParseError) -> HTTPBodyFraming {
        let code = head.status.code
        if requestMethod == .head || code < 200 || code == 204 || code == 304 {
            return .none
        }
        if let codings = Self.transferCodings(head.headers) {
            if codings.last.map({ ASCII.caseInsensitiveEquals($0, "chunked") }) == true {
                return .chunked
            }
            return .untilClose
        }
        guard let length = try Self.contentLength(head.headers.values(for: "Content-Length")) else {
            return .untilClose
        }
        return length == 0 ? .none : .contentLength(length)
    }

    /// The transfer codings listed in all `Transfer-Encoding` fields, or `nil` when the field is absent.
    private static func transferCodings(_ headers: HTTPHeaders) -> [Substring]? {
        let values = headers.values(for: "Transfer-Encoding")
        guard !values.isEmpty else {
            return nil
        }
        return values.flatMap { ASCII.listElements($0) }
    }

    /// The single value of the `Content-Length` fields, or `nil` when absent.
    private static func contentLength(_ values: [String]) throws(HTTPParseError) -> Int? {
        var result: Int?
        for value in values {
            for element in value.split(separator: ",", omittingEmptySubsequences: false) {
                let length = try Self.parseDecimal(element.utf8.drop(while: { $0 == ASCII.space || $0 == ASCII.tab }))
                if let result, result != length {
                    throw HTTPParseError(.invalidContentLength)
                }
                result = length
            }
        }
        return result
    }

    /// Parses `1*DIGIT` with optional trailing whitespace, refusing values above 18 digits.
    private static func parseDecimal(_ bytes: Substring.UTF8View.SubSequence) throws(HTTPParseError) -> Int {
        var value = 0
        var digits = 0
        var trailingSpace = false
        for byte in bytes {
            if ASCII.isWhitespace(byte) {
                trailingSpace = true
                continue
            }
            guard !trailingSpace, let digit = HeadLineScanner.decimalDigit(byte), digits < 18 else {
                throw HTTPParseError(.invalidContentLength)
            }
            value = value * 10 + digit
            digits += 1
        }
        guard digits > 0 else {
            throw HTTPParseError(.invalidContentLength)
        }
        return value
    }
}
