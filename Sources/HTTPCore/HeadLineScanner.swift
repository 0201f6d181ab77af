#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the lines of a message head incrementally and parses field lines.
///
/// Line endings are strict: every line must end with CRLF. A bare LF fails with `invalidLineEnding` as soon
/// as it is seen, and a bare CR inside a line fails when the line is validated (CR is a control character).
/// Accepting bare LF would let a front proxy and this parser disagree on where a field ends, which is a
/// request smuggling vector, so it is rejected deliberately (RFC 9112 §2.2 makes accepting it optional).
struct HeadLineScanner: Sendable {
    /// The byte offset where the next line starts; after the empty line, the length of the whole head.
    private(set) var lineStart = 0
    /// The byte offset from which the search for the next LF continues.
    private var scanOffset = 0
    /// The largest head accepted, in bytes.
    let maxHeadBytes: Int

    /// Creates a scanner.
    /// - Parameter maxHeadBytes: The largest head accepted, in bytes.
    init(maxHeadBytes: Int) {
        self.maxHeadBytes = maxHeadBytes
    }

    /// Returns the scanner to the state for a new head starting at offset 0.
    mutating func reset() {
        self.lineStart = 0
        self.scanOffset = 0
    }

    /// Finds the next complete line in `buffer`.
    /// - Parameter buffer: All bytes of the head received so far; bytes given earlier must not have changed.
    /// - Returns: The byte range of the line without its CRLF, or `nil` when no complete line is available yet.
    /// - Throws: `invalidLineEnding` for a bare LF, `headTooLarge` when the head cannot end within the limit.
    mutating func nextLine(in buffer: UnsafeRawBufferPointer) throws(HTTPParseError) -> Range<Int>? {
        let searchEnd = min(buffer.count, self.maxHeadBytes)
        guard let base = buffer.baseAddress, self.scanOffset < searchEnd else {
            if buffer.count >= self.maxHeadBytes {
                throw HTTPParseError(.headTooLarge)
            }
            return nil
        }
        guard let found = memchr(base + self.scanOffset, Int32(ASCII.lf), searchEnd - self.scanOffset) else {
            self.scanOffset = searchEnd
            if searchEnd == self.maxHeadBytes {
                throw HTTPParseError(.headTooLarge)
            }
            return nil
        }
        let lf = base.distance(to: UnsafeRawPointer(found))
        guard lf > self.lineStart, buffer[lf - 1] == ASCII.cr else {
            throw HTTPParseError(.invalidLineEnding)
        }
        let line = self.lineStart..<(lf - 1)
        self.lineStart = lf + 1
        self.scanOffset = lf + 1
        return line
    }

    /// Parses one field line (RFC 9112 §5): `field-name ":" OWS field-value OWS`.
    /// - Parameter line: The line without its CRLF.
    /// - Returns: The field with the value trimmed of surrounding whitespace.
    /// - Throws: `obsoleteLineFolding` when the line starts with whitespace; `invalidHeader` for an empty or
    ///   invalid name, whitespace before the colon, a missing colon or a control character in the value.
    static func parseFieldLine(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPField {
        guard let first = line.first else {
            throw HTTPParseError(.invalidHeader)
        }
        if ASCII.isWhitespace(first) {
            throw HTTPParseError(.obsoleteLineFolding)
        }
        var colon = 0
        while colon < line.count, line[colon] != ASCII.colon {
            guard ASCII.isTokenChar(line[colon]) else {
                throw HTTPParseError(.invalidHeader)
            }
            colon += 1
        }
        guard colon > 0, colon < line.count else {
            throw HTTPParseError(.invalidHeader)
        }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, ASCII.isWhitespace(line[valueStart]) {
            valueStart += 1
        }
        while valueEnd > valueStart, ASCII.isWhitespace(line[valueEnd - 1]) {
            valueEnd -= 1
        }
        for index in valueStart..<valueEnd where !ASCII.isFieldValueChar(line[index]) {
            throw HTTPParseError(.invalidHeader)
        }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<colon]), as: UTF8.self)
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self)
        return HTTPField(name: name, value: value)
    }

    /// Parses `HTTP/x.y` (RFC 9112 §2.3).
    /// - Parameter bytes: Exactly the version bytes.
    /// - Returns: HTTP/1.0 or HTTP/1.1.
    /// - Throws: `unsupportedVersion` for another well-formed version; `malformed` when the bytes are not a
    ///   version at all.
    static func parseVersion(
        _ bytes: UnsafeRawBufferPointer,
        malformed: HTTPParseError.Code
    ) throws(HTTPParseError) -> HTTPVersion {
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8), bytes[6] == UInt8(ascii: "."),
            let major = decimalDigit(bytes[5]), let minor = decimalDigit(bytes[7])
        else {
            throw HTTPParseError(malformed)
        }
        guard major == 1, minor <= 1 else {
            throw HTTPParseError(.unsupportedVersion)
        }
        return minor == 1 ? .http1_1 : .http1_0
    }

    /// The value of an ASCII decimal digit.
    /// - Parameter byte: The byte.
    /// - Returns: 0–9, or `nil`.
    static func decimalDigit(_ byte: UInt8) -> Int? {
        (0x30...0x39).contains(byte) ? Int(byte - 0x30) : nil
    }
}
