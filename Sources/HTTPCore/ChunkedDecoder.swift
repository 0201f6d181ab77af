/// An incremental decoder for the chunked transfer coding (RFC 9112 §7.1).
///
/// Feed it input as it arrives; it appends the chunk data to a body array and stops right after the final
/// CRLF, so bytes of a following message are left unconsumed. Chunk extensions are checked for control
/// characters and skipped. Trailer fields are parsed with the same rules as header fields and collected in
/// ``trailers``. Line endings must be CRLF.
///
/// Limits: the total decoded size (checked against each chunk's declared size before any of its data is
/// appended, so an oversized body is refused before it is buffered), the length of each chunk size line
/// including extensions, and the size of the trailer section.
public struct ChunkedDecoder: Sendable {
    private enum State: Sendable, Hashable {
        case size
        case sizeWhitespace
        case extensions
        case sizeLF
        case data(remaining: Int)
        case dataCR
        case dataLF
        case trailerLine
        case trailerLF
        case done
    }

    /// The largest decoded body accepted, in bytes.
    public let maxBodyBytes: Int
    /// The longest chunk size line accepted, in bytes, including extensions but not the CRLF.
    public let maxChunkLineBytes: Int
    /// The largest trailer section accepted, in bytes, including CRLFs.
    public let maxTrailerBytes: Int
    /// The number of body bytes decoded so far.
    public private(set) var bodyByteCount = 0
    /// The trailer fields received after the last chunk.
    public private(set) var trailers = HTTPHeaders()

    private var state = State.size
    private var chunkSize = 0
    private var sizeDigits = 0
    private var lineBytes = 0
    private var trailerBytes = 0
    private var trailerLine: [UInt8] = []

    /// Creates a decoder.
    /// - Parameters:
    ///   - maxBodyBytes: The largest decoded body accepted, in bytes; more fails with `bodyTooLarge`.
    ///   - maxChunkLineBytes: The longest chunk size line, in bytes; default 4,096. Longer fails with
    ///     `invalidChunk`.
    ///   - maxTrailerBytes: The largest trailer section, in bytes; default 16,384. Larger fails with
    ///     `trailersTooLarge`.
    public init(maxBodyBytes: Int, maxChunkLineBytes: Int = 4_096, maxTrailerBytes: Int = 16_384) {
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkLineBytes = maxChunkLineBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    /// Whether the last chunk and the trailer section have been decoded.
    public var isComplete: Bool { self.state == .done }

    /// Decodes as much of `input` as possible.
    /// - Parameters:
    ///   - input: The next bytes of the chunked body.
    ///   - body: The array to which decoded data is appended.
    /// - Returns: The number of input bytes consumed. It is smaller than `input.count` only when the message
    ///   ended inside `input`; the remaining bytes belong to whatever follows the message.
    /// - Throws: `invalidChunk`, `bodyTooLarge` or `trailersTooLarge`. The decoder cannot continue afterwards.
    public mutating func decode(
        _ input: UnsafeRawBufferPointer,
        into body: inout [UInt8]
    ) throws(HTTPParseError) -> Int {
        var index = 0
        while index < input.count {
            let byte = input[index]
            switch self.state {
            case .size:
                try self.sizeByte(byte)
            case .sizeWhitespace:
                try self.countLineByte()
                switch byte {
                case ASCII.cr: self.state = .sizeLF
                case ASCII.semicolon: self.state = .extensions
                case ASCII.space, ASCII.tab: break
                default: throw HTTPParseError(.invalidChunk)
                }
            case .extensions:
                try self.countLineByte()
                if byte == ASCII.cr {
                    self.state = .sizeLF
                } else if !ASCII.isFieldValueChar(byte) {
                    throw HTTPParseError(.invalidChunk)
                }
            case .sizeLF:
                try self.sizeLineEnded(byte)
            case .data(let remaining):
                let count = min(remaining, input.count - index)
                if let base = input.baseAddress {
                    let start = (base + index).assumingMemoryBound(to: UInt8.self)
                    body.append(contentsOf: UnsafeBufferPointer(start: start, count: count))
                }
                self.bodyByteCount += count
                self.state = count == remaining ? .dataCR : .data(remaining: remaining - count)
                index += count
                continue
            case .dataCR:
                guard byte == ASCII.cr else {
                    throw HTTPParseError(.invalidChunk)
                }
                self.state = .dataLF
            case .dataLF:
                guard byte == ASCII.lf else {
                    throw HTTPParseError(.invalidChunk)
                }
                self.chunkSize = 0
                self.sizeDigits = 0
                self.lineBytes = 0
                self.state = .size
            case .trailerLine:
                try self.trailerByte(byte)
            case .trailerLF:
                guard byte == ASCII.lf else {
                    throw HTTPParseError(.invalidChunk)
                }
                try self.trailerLineEnded()
                if self.state == .done {
                    return index + 1
                }
            case .done:
                return index
            }
            index += 1
        }
        return index
    }

    private mutating func countLineByte() throws(HTTPParseError) {
        self.lineBytes += 1
        guard self.lineBytes <= self.maxChunkLineBytes else {
            throw HTTPParseError(.invalidChunk)
        }
    }

    private mutating func sizeByte(_ byte: UInt8) throws(HTTPParseError) {
        try self.countLineByte()
        if let digit = ASCII.hexValue(byte) {
            // 15 hex digits keep the size below 2^60, far from overflow.
            guard self.sizeDigits < 15 else {
                throw HTTPParseError(.invalidChunk)
            }
            self.chunkSize = self.chunkSize << 4 | digit
            self.sizeDigits += 1
            return
        }
        guard self.sizeDigits > 0 else {
            throw HTTPParseError(.invalidChunk)
        }
        switch byte {
        case ASCII.cr: self.state = .sizeLF
        case ASCII.semicolon: self.state = .extensions
        case ASCII.space, ASCII.tab: self.state = .sizeWhitespace
        default: throw HTTPParseError(.invalidChunk)
        }
    }

    private mutating func sizeLineEnded(_ byte: UInt8) throws(HTTPParseError) {
        guard byte == ASCII.lf else {
            throw HTTPParseError(.invalidChunk)
        }
        if self.chunkSize == 0 {
            self.state = .trailerLine
            return
        }
        guard self.chunkSize <= self.maxBodyBytes - self.bodyByteCount else {
            throw HTTPParseError(.bodyTooLarge)
        }
        self.state = .data(remaining: self.chunkSize)
    }

    private mutating func trailerByte(_ byte: UInt8) throws(HTTPParseError) {
        self.trailerBytes += 1
        guard self.trailerBytes <= self.maxTrailerBytes else {
            throw HTTPParseError(.trailersTooLarge)
        }
        if byte == ASCII.cr {
            self.state = .trailerLF
        } else if byte == ASCII.lf {
            throw HTTPParseError(.invalidChunk)
        } else {
            self.trailerLine.append(byte)
        }
    }

    private mutating func trailerLineEnded() throws(HTTPParseError) {
        self.trailerBytes += 1
        guard self.trailerBytes <= self.maxTrailerBytes else {
            throw HTTPParseError(.trailersTooLarge)
        }
        if self.trailerLine.isEmpty {
            self.state = .done
            return
        }
        let parsed = self.trailerLine.withUnsafeBytes { line in
            Result { () throws(HTTPParseError) -> HTTPField in try HeadLineScanner.parseFieldLine(line) }
        }
        guard case .success(let field) = parsed else {
            throw HTTPParseError(.invalidChunk)
        }
        self.trailers.add(name: field.name, value: field.value)
        self.trailerLine.removeAll(keepingCapacity: true)
        self.state = .trailerLine
    }
}
