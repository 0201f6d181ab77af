/// Splits UTF-8 text into lowercase ASCII words.
///
/// Rules:
/// - A word is a run of ASCII letters and digits; every other byte (punctuation, spaces, any
///   non-ASCII byte) separates words. `0.0.0.0/0` becomes `0 0 0 0 0`, `multi-factor` becomes
///   `multi factor`.
/// - camelCase and PascalCase runs are split: `StopLogging` -> `stop logging`,
///   `CreateAccessKey` -> `create access key`, `MFAEnabled` -> `mfa enabled`. An upper-case run
///   followed by a single lower-case letter stays whole (`ACLs`, `IMDSv2`, `IPv6`); digits never split.
/// - Single letters are dropped (possessive `s`, list labels); single digits are kept.
/// - Words longer than ``maxWordLength`` bytes are cut to that length.
enum WordSplitter {
    /// The longest word kept, in bytes; longer runs are cut.
    static let maxWordLength = 48

    /// Calls `body` with each lowercase word of `text`, in order.
    /// - Parameters:
    ///   - text: UTF-8 bytes.
    ///   - body: Receives a buffer valid only during the call.
    static func forEachWord(in text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxWordLength) { scratch in
            var i = 0
            let n = text.count
            while i < n {
                while i < n && !isWordByte(text[i]) {
                    i += 1
                }
                let runStart = i
                while i < n && isWordByte(text[i]) {
                    i += 1
                }
                if i > runStart {
                    splitRun(text, runStart, i, scratch, body)
                }
            }
        }
    }

    /// Calls `body` with each lowercase word of a string.
    /// - Parameters:
    ///   - text: The text.
    ///   - body: Receives a buffer valid only during the call.
    static func forEachWord(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { forEachWord(in: $0, body) }
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    private static func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    private static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }

    /// Splits one alphanumeric run at camelCase boundaries and emits the pieces.
    private static func splitRun(
        _ text: UnsafeBufferPointer<UInt8>,
        _ start: Int,
        _ end: Int,
        _ scratch: UnsafeMutableBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        var pieceStart = start
        var i = start + 1
        while i < end {
            let previous = text[i - 1]
            let current = text[i]
            var boundary = false
            if isLower(previous) && isUpper(current) {
                boundary = true
            } else if isUpper(previous) && isUpper(current) && i + 2 < end
                && isLower(text[i + 1]) && isLower(text[i + 2])
            {
                boundary = true
            }
            if boundary {
                emit(text, pieceStart, i, scratch, body)
                pieceStart = i
            }
            i += 1
        }
        emit(text, pieceStart, end, scratch, body)
    }

    private static func emit(
        _ text: UnsafeBufferPointer<UInt8>,
        _ start: Int,
        _ end: Int,
        _ scratch: UnsafeMutableBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        let length = min(end - start, maxWordLength)
        if length == 1 && !(text[start] >= 0x30 && text[start] <= 0x39) {
            return
        }
        for k in 0..<length {
            let b = text[start + k]
            scratch[k] = isUpper(b) ? b | 0x20 : b
        }
        body(UnsafeBufferPointer(rebasing: scratch[0..<length]))
    }
}
