/// An incremental, strict parser for a request head: the request line and the header fields (RFC 9112 §2–5).
///
/// Feed it the bytes accumulated so far for one head; it remembers how far it has scanned, so each byte is
/// examined once even when the head arrives a few bytes at a time. Rules:
/// - Lines end with CRLF only (see ``HeadLineScanner`` for why bare LF is refused); empty lines before the
///   request line are skipped (RFC 9112 §2.2).
/// - The request line is `method SP request-target SP HTTP-version` with single spaces; the method is a token;
///   the target is visible ASCII without `#`; only HTTP/1.0 and HTTP/1.1 are accepted.
/// - Field names are tokens directly followed by `:`; values may hold HTAB, SP, visible ASCII and obs-text;
///   obsolete line folding is refused.
/// - An HTTP/1.1 request needs exactly one `Host` field; no request may have more than one.
/// - Absolute-form targets (`http://host/p?q`) are split into ``HTTPRequestHead/path`` and
///   ``HTTPRequestHead/query``; the original stays in ``HTTPRequestHead/target``. Authority-form (CONNECT)
///   targets are refused: this package is not a proxy.
///
/// After `complete` the parser is ready for the next head, which starts at the returned `consumed` offset of the
/// caller's buffer: drop those bytes and pass the remainder. After an error the parser must be ``reset()``.
public struct RequestHeadParser: Sendable {
    /// The outcome of ``parse(_:)``.
    public enum ParseResult: Sendable {
        /// The head is not complete yet; call again with more bytes.
        case needMoreData
        /// The head is complete; `consumed` bytes of the buffer belong to it.
        case complete(HTTPRequestHead, consumed: Int)
    }

    /// The limits in force.
    public let limits: HTTPHeadLimits
    private var scanner: HeadLineScanner
    private var requestLine: RequestLine?
    private var fields: [HTTPField] = []

    /// Creates a parser.
    /// - Parameter limits: Size and count limits; see ``HTTPHeadLimits`` for the defaults.
    public init(limits: HTTPHeadLimits = HTTPHeadLimits()) {
        self.limits = limits
        self.scanner = HeadLineScanner(maxHeadBytes: limits.maxHeadBytes)
    }

    /// Forgets any partial head.
    public mutating func reset() {
        self.scanner.reset()
        self.requestLine = nil
        self.fields = []
    }

    /// Parses as much of the head as `buffer` holds.
    /// - Parameter buffer: Every byte received for this head so far, starting at its first byte. Bytes passed in
    ///   an earlier call must be passed again unchanged, followed by the new ones.
    /// - Returns: `.needMoreData`, or the head and the number of bytes it occupied.
    /// - Throws: ``HTTPParseError`` describing the first violation found.
    public mutating func parse(_ buffer: UnsafeRawBufferPointer) throws(HTTPParseError) -> ParseResult {
        while let range = try self.scanner.nextLine(in: buffer) {
            let line = UnsafeRawBufferPointer(rebasing: buffer[range])
            guard let requestLine = self.requestLine else {
                if !line.isEmpty {
                    self.requestLine = try RequestLine(parsing: line)
                }
                continue
            }
            if line.isEmpty {
                let head = try Self.makeHead(requestLine, fields: self.fields)
                let consumed = self.scanner.lineStart
                self.reset()
                return .complete(head, consumed: consumed)
            }
            guard self.fields.count < self.limits.maxHeaderCount else {
                throw HTTPParseError(.tooManyHeaders)
            }
            self.fields.append(try HeadLineScanner.parseFieldLine(line))
        }
        return .needMoreData
    }

    /// Parses as much of the head as `buffer` holds.
    /// - Parameter buffer: Every byte received for this head so far; see the raw-buffer overload.
    /// - Returns: `.needMoreData`, or the head and the number of bytes it occupied.
    /// - Throws: ``HTTPParseError`` describing the first violation found.
    public mutating func parse(_ buffer: [UInt8]) throws(HTTPParseError) -> ParseResult {
        let result = buffer.withUnsafeBytes { raw in
            Result { () throws(HTTPParseError) -> ParseResult in try self.parse(raw) }
        }
        return try result.get()
    }

    private static func makeHead(_ line: RequestLine, fields: [HTTPField]) throws(HTTPParseError) -> HTTPRequestHead {
        var hostCount = 0
        for field in fields where ASCII.caseInsensitiveEquals(field.name, "Host") {
            hostCount += 1
        }
        if hostCount > 1 || (line.version == .http1_1 && hostCount == 0) {
            throw HTTPParseError(.invalidHost)
        }
        return HTTPRequestHead(
            method: line.method,
            target: line.target,
            path: line.path,
            query: line.query,
            version: line.version,
            headers: HTTPHeaders(fields)
        )
    }
}

/// A parsed request line.
private struct RequestLine: Sendable {
    var method: HTTPMethod
    var target: String
    var path: String
    var query: String?
    var version: HTTPVersion

    init(parsing line: UnsafeRawBufferPointer) throws(HTTPParseError) {
        guard let firstSpace = line.firstIndex(of: ASCII.space), firstSpace > 0 else {
            throw HTTPParseError(.invalidRequestLine)
        }
        for index in 0..<firstSpace where !ASCII.isTokenChar(line[index]) {
            throw HTTPParseError(.invalidRequestLine)
        }
        let targetStart = firstSpace + 1
        var targetEnd = targetStart
        while targetEnd < line.count, line[targetEnd] != ASCII.space {
            targetEnd += 1
        }
        guard targetEnd > targetStart, targetEnd < line.count else {
            throw HTTPParseError(.invalidRequestLine)
        }
        self.version = try HeadLineScanner.parseVersion(
            UnsafeRawBufferPointer(rebasing: line[(targetEnd + 1)...]),
            malformed: .invalidRequestLine
        )
        let targetBytes = UnsafeRawBufferPointer(rebasing: line[targetStart..<targetEnd])
        for byte in targetBytes where byte < 0x21 || byte > 0x7E || byte == UInt8(ascii: "#") {
            throw HTTPParseError(.invalidTarget)
        }
        self.method = HTTPMethod(rawValue: String(decoding: line[0..<firstSpace], as: UTF8.self))
        self.target = String(decoding: targetBytes, as: UTF8.self)
        (self.path, self.query) = try Self.splitTarget(targetBytes, isOptions: self.method == .options)
    }

    /// Splits a target into path and query (RFC 9112 §3.2).
    private static func splitTarget(
        _ target: UnsafeRawBufferPointer,
        isOptions: Bool
    ) throws(HTTPParseError) -> (String, String?) {
        if target.count == 1, target[0] == UInt8(ascii: "*") {
            guard isOptions else {
                throw HTTPParseError(.invalidTarget)
            }
            return ("*", nil)
        }
        if target[0] == ASCII.slash {
            return splitPathAndQuery(target)
        }
        let schemeEnd = try absoluteFormSchemeEnd(target)
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < target.count, target[authorityEnd] != ASCII.slash, target[authorityEnd] != ASCII.question {
            guard target[authorityEnd] != UInt8(ascii: "@") else {
                throw HTTPParseError(.invalidTarget)
            }
            authorityEnd += 1
        }
        guard authorityEnd > authorityStart else {
            throw HTTPParseError(.invalidTarget)
        }
        let rest = UnsafeRawBufferPointer(rebasing: target[authorityEnd...])
        if rest.isEmpty {
            return ("/", nil)
        }
        let (path, query) = splitPathAndQuery(rest)
        return (path.isEmpty ? "/" : path, query)
    }

    /// Returns the offset of `://` after an `http` or `https` scheme, compared without regard to case.
    private static func absoluteFormSchemeEnd(_ target: UnsafeRawBufferPointer) throws(HTTPParseError) -> Int {
        for scheme in ["http", "https"] {
            let length = scheme.utf8.count
            guard target.count > length + 3 else {
                continue
            }
            let matchesScheme = zip(target[0..<length], scheme.utf8).allSatisfy { ASCII.lowercased($0) == $1 }
            if matchesScheme, target[length..<(length + 3)].elementsEqual("://".utf8) {
                return length
            }
        }
        throw HTTPParseError(.invalidTarget)
    }

    private static func splitPathAndQuery(_ bytes: UnsafeRawBufferPointer) -> (String, String?) {
        guard let question = bytes.firstIndex(of: ASCII.question) else {
            return (String(decoding: bytes, as: UTF8.self), nil)
        }
        let path = String(decoding: bytes[0..<question], as: UTF8.self)
        let query = String(decoding: bytes[(question + 1)...], as: UTF8.self)
        return (path, query)
    }
}
