import CSIMDKernels

/// Finds the records of a Firehose request body while the body is still being decompressed.
///
/// It reads only the shape Firehose sends: an object whose members before `records` are strings and numbers, with
/// `timestamp` among them, then `"records":[{"data":"<base64>"},…]`, whitespace allowed between tokens. Each call
/// goes as far as the complete tokens reach and resumes there when more text has arrived. Anything else (a record
/// with more members, an escape in a key or in `data`, a byte order mark, `records` before `timestamp`) makes it
/// give up: the caller then decodes the whole body the ordinary way, which also checks everything this skips
/// (duplicate members, what follows the array, request ids, the body as strict JSON).
struct FirehoseEnvelopeScanner {
    /// What a scan reached.
    enum Progress: Equatable {
        /// The text ended inside a token: scan again when more has arrived.
        case needsMore
        /// The records array is closed; ``records`` holds every record.
        case recordsEnded
        /// The body is not in the shape this scanner reads.
        case unsupported
    }

    private enum State {
        case objectStart
        case member(first: Bool)
        case record(first: Bool)
        case recordsEnded
    }

    /// The longest top-level value before `records` read (Firehose sends a 36-character id and a 13-digit time):
    /// 64 KiB; a longer one makes the scan unsupported.
    static let maxValueBytes = 64 << 10
    /// The most records accepted; more makes the scan unsupported (the ordinary decode then refuses the body).
    let maxRecords: Int
    /// The byte offsets of each record's `data` text, inside its quotes, in order.
    private(set) var records: [Range<Int>] = []
    /// The byte offsets of the `timestamp` value.
    private(set) var timestamp: Range<Int>?
    /// Where the next token starts.
    private var position = 0
    private var state = State.objectStart

    /// Creates a scanner.
    /// - Parameter maxRecords: The most records accepted.
    init(maxRecords: Int) {
        self.maxRecords = maxRecords
    }

    /// Reads the complete tokens of `bytes[0..<count]` past where the last call stopped.
    /// - Parameters:
    ///   - bytes: The body text decoded so far (the same text, longer, at every call).
    ///   - count: How much of it is decoded.
    /// - Returns: Whether more text is needed, the records array ended, or the shape is not supported.
    mutating func scan(_ bytes: UnsafePointer<UInt8>, count: Int) -> Progress {
        while true {
            var cursor = Cursor(bytes: bytes, count: count, index: position)
            let step: Step
            switch state {
            case .objectStart:
                step = cursor.expect(UInt8(ascii: "{")) ? .advance(.member(first: true)) : cursor.verdict
            case .member(let first):
                step = member(&cursor, first: first)
            case .record(let first):
                step = record(&cursor, first: first)
            case .recordsEnded:
                return .recordsEnded
            }
            switch step {
            case .advance(let next):
                state = next
                position = cursor.index
            case .needsMore:
                return .needsMore
            case .unsupported:
                return .unsupported
            }
        }
    }

    private enum Step {
        case advance(State)
        case needsMore
        case unsupported
    }

    /// One top-level member: `records` opens the array; `timestamp` is kept; other values are skipped.
    private mutating func member(_ cursor: inout Cursor, first: Bool) -> Step {
        if !first && !cursor.expect(UInt8(ascii: ",")) { return cursor.verdict }
        guard let key = cursor.plainString(), cursor.expect(UInt8(ascii: ":")) else { return cursor.verdict }
        if cursor.matches(key, "records") {
            guard timestamp != nil else { return .unsupported }
            return cursor.expect(UInt8(ascii: "[")) ? .advance(.record(first: true)) : cursor.verdict
        }
        cursor.skipWhitespace()
        guard cursor.index < cursor.count else { return .needsMore }
        let range: Range<Int>
        if cursor.bytes[cursor.index] == UInt8(ascii: "\"") {
            guard let string = cursor.string() else { return cursor.verdict }
            range = string
        } else {
            guard let number = cursor.number() else { return cursor.verdict }
            range = number
        }
        if cursor.matches(key, "timestamp") { timestamp = range }
        return .advance(.member(first: false))
    }

    /// One record, `{"data":"…"}`, or the end of the array.
    private mutating func record(_ cursor: inout Cursor, first: Bool) -> Step {
        cursor.skipWhitespace()
        guard cursor.index < cursor.count else { return .needsMore }
        if cursor.bytes[cursor.index] == UInt8(ascii: "]") {
            cursor.index += 1
            return .advance(.recordsEnded)
        }
        if !first && !cursor.expect(UInt8(ascii: ",")) { return cursor.verdict }
        guard cursor.expect(UInt8(ascii: "{")), let key = cursor.plainString(), cursor.matches(key, "data"),
            cursor.expect(UInt8(ascii: ":")), let data = cursor.plainString(), cursor.expect(UInt8(ascii: "}"))
        else { return cursor.verdict }
        guard records.count < maxRecords else { return .unsupported }
        records.append(data)
        return .advance(.record(first: false))
    }

    /// Reads tokens from the decoded text; remembers whether a failure was the text's end or a shape not read.
    private struct Cursor {
        let bytes: UnsafePointer<UInt8>
        let count: Int
        var index: Int
        /// What the last failed read means.
        private(set) var verdict = Step.unsupported

        init(bytes: UnsafePointer<UInt8>, count: Int, index: Int) {
            self.bytes = bytes
            self.count = count
            self.index = index
        }

        mutating func skipWhitespace() {
            while index < count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        /// Skips whitespace and one expected byte.
        mutating func expect(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard index < count else {
                verdict = .needsMore
                return false
            }
            guard bytes[index] == byte else {
                verdict = .unsupported
                return false
            }
            index += 1
            return true
        }

        /// A string without escapes, controls or non-ASCII bytes; returns the range inside its quotes.
        mutating func plainString() -> Range<Int>? {
            guard expect(UInt8(ascii: "\"")) else { return nil }
            let end = lakemark_json_string_attention(bytes, index, count)
            guard end < count else {
                verdict = .needsMore
                return nil
            }
            guard bytes[end] == UInt8(ascii: "\"") else {
                verdict = .unsupported
                return nil
            }
            defer { index = end + 1 }
            return index..<end
        }

        /// Any string value of at most ``FirehoseEnvelopeScanner/maxValueBytes`` (escapes skipped, not checked: the
        /// ordinary parse checks them); returns the range of the whole token, quotes included.
        mutating func string() -> Range<Int>? {
            let start = index
            index += 1
            while true {
                index = lakemark_json_string_attention(bytes, index, count)
                // A long value would be scanned again at every slice until it ends; Firehose's are short.
                guard index - start <= FirehoseEnvelopeScanner.maxValueBytes else {
                    verdict = .unsupported
                    return nil
                }
                guard index < count else {
                    verdict = .needsMore
                    return nil
                }
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    return start..<index
                case UInt8(ascii: "\\"):
                    index += 2
                default:
                    index += 1
                }
            }
        }

        /// A number's characters (its grammar is the ordinary parse's to check); needs the byte after it.
        mutating func number() -> Range<Int>? {
            let start = index
            while index < count {
                guard index - start <= FirehoseEnvelopeScanner.maxValueBytes else {
                    verdict = .unsupported
                    return nil
                }
                switch bytes[index] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                    UInt8(ascii: "e"), UInt8(ascii: "E"):
                    index += 1
                default:
                    if index == start {
                        verdict = .unsupported
                        return nil
                    }
                    return start..<index
                }
            }
            verdict = .needsMore
            return nil
        }

        /// Whether the bytes of `range` are exactly `name`.
        func matches(_ range: Range<Int>, _ name: StaticString) -> Bool {
            guard range.count == name.utf8CodeUnitCount else { return false }
            let expected = name.utf8Start
            for offset in 0..<range.count where bytes[range.lowerBound + offset] != expected[offset] { return false }
            return true
        }
    }
}
