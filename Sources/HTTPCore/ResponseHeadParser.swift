/// An incremental, strict parser for a response head: the status line and the header fields (RFC 9112 §4).
///
/// It follows the same rules and calling convention as ``RequestHeadParser``: CRLF line endings only, strict
/// field lines, incremental scanning of an accumulating buffer. The status line is
/// `HTTP-version SP 3DIGIT SP reason-phrase`; a missing space after the code when the reason is empty is
/// tolerated because some servers omit it.
public struct ResponseHeadParser: Sendable {
    /// The outcome of ``parse(_:)``.
    public enum ParseResult: Sendable {
        /// The head is not complete yet; call again with more bytes.
        case needMoreData
        /// The head is complete; `consumed` bytes of the buffer belong to it.
        case complete(HTTPResponseHead, consumed: Int)
    }

    /// The limits in force.
    public let limits: HTTPHeadLimits
    private var scanner: HeadLineScanner
    private var statusLine: (version: HTTPVersion, status: HTTPStatus)?
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
        self.statusLine = nil
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
            guard let statusLine = self.statusLine else {
                self.statusLine = try Self.parseStatusLine(line)
                continue
            }
            if line.isEmpty {
                let head = HTTPResponseHead(
                    version: statusLine.version,
                    status: statusLine.status,
                    headers: HTTPHeaders(self.fields)
                )
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

    private static func parseStatusLine(
        _ line: UnsafeRawBufferPointer
    ) throws(HTTPParseError) -> (version: HTTPVersion, status: HTTPStatus) {
        guard line.count >= 12, line[8] == ASCII.space else {
            throw HTTPParseError(.invalidStatusLine)
        }
        let version = try HeadLineScanner.parseVersion(
            UnsafeRawBufferPointer(rebasing: line[0..<8]),
            malformed: .invalidStatusLine
        )
        var code = 0
        for index in 9..<12 {
            guard let digit = HeadLineScanner.decimalDigit(line[index]) else {
                throw HTTPParseError(.invalidStatusLine)
            }
            code = code * 10 + digit
        }
        guard code >= 100 else {
            throw HTTPParseError(.invalidStatusLine)
        }
        if line.count == 12 {
            return (version, HTTPStatus(code: code, reasonPhrase: ""))
        }
        guard line[12] == ASCII.space else {
            throw HTTPParseError(.invalidStatusLine)
        }
        let reason = UnsafeRawBufferPointer(rebasing: line[13...])
        for byte in reason where !ASCII.isFieldValueChar(byte) {
            throw HTTPParseError(.invalidStatusLine)
        }
        return (version, HTTPStatus(code: code, reasonPhrase: String(decoding: reason, as: UTF8.self)))
    }
}
