/// Validation of object keys shared by the sinks.
enum SinkKey {
    /// The longest accepted key, in UTF-8 bytes (the S3 limit).
    static let maxKeyBytes = 1_024
    /// The longest accepted path segment, in UTF-8 bytes (`NAME_MAX` on Linux file systems).
    static let maxSegmentBytes = 255
    /// The prefix of temporary file names; final names may not use it.
    static let temporaryPrefix = ".tmp-"
    /// The path separator, `/`.
    private static let slash = UInt8(ascii: "/")
    /// The byte of the `.` and `..` segments.
    private static let dot = UInt8(ascii: ".")

    /// Checks a key and splits it into its directory part and file name.
    ///
    /// - Parameter key: The key to check.
    /// - Returns: The directory segments (possibly empty) and the last segment.
    /// - Throws: ``SinkError`` with code `invalidKey` explaining the first problem found.
    static func split(_ key: String) throws(SinkError) -> (directories: [String], name: String) {
        func reject(_ problem: String) -> SinkError {
            let shown = printable(key)
            let message = "invalid object key '\(shown)': \(problem)"
            return SinkError(code: .invalidKey, errno: nil, path: shown, message: message)
        }
        let bytes = Array(key.utf8)
        guard !bytes.isEmpty else { throw reject("empty") }
        guard bytes.count <= maxKeyBytes else { throw reject("longer than \(maxKeyBytes) bytes") }
        guard !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw reject("contains a NUL or control character")
        }
        guard bytes[0] != slash else { throw reject("absolute path") }
        // Split on the byte `/` (never part of a longer UTF-8 sequence), as the file system does.
        var segments: [String] = []
        var start = 0
        for end in 0...bytes.count where end == bytes.count || bytes[end] == slash {
            let segment = bytes[start..<end]
            if segment.isEmpty { throw reject("empty path segment") }
            if segment.allSatisfy({ $0 == dot }) && segment.count <= 2 {
                throw reject("'\(String(decoding: segment, as: UTF8.self))' path segment")
            }
            guard segment.count <= maxSegmentBytes else {
                throw reject("path segment longer than \(maxSegmentBytes) bytes")
            }
            segments.append(String(decoding: segment, as: UTF8.self))
            start = end + 1
        }
        guard segments[0] != TemporaryArea.directoryName else {
            throw reject("the '\(TemporaryArea.directoryName)' directory is reserved")
        }
        let name = segments[segments.count - 1]
        guard !name.hasPrefix(temporaryPrefix) else {
            throw reject("names starting with '\(temporaryPrefix)' are reserved")
        }
        return (Array(segments.dropLast()), name)
    }

    /// Makes a key safe to quote in a one-line message: control characters become `?`, and long keys are cut.
    static func printable(_ key: String) -> String {
        var text = String(key.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        if text.count > 200 {
            text = String(text.prefix(200)) + "…"
        }
        return text
    }
}
