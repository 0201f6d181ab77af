/// A gzip stream that ``Gzip/inflate(_:limit:)`` could not decompress.
public struct GzipError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why decompression stopped. The names are stable and safe to log.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name of the code, for logs and error messages.
        public let name: String

        /// The input does not start with the gzip magic bytes `1f 8b`.
        public static let notGzip = Code(name: "notGzip")
        /// The input ends inside a member (missing data, CRC or length trailer).
        public static let truncated = Code(name: "truncated")
        /// The compressed data or a member header is invalid.
        public static let corrupt = Code(name: "corrupt")
        /// A member's CRC-32 or length trailer does not match its data.
        public static let checksumMismatch = Code(name: "checksumMismatch")
        /// Bytes after a complete member that do not start another member.
        public static let trailingGarbage = Code(name: "trailingGarbage")
        /// The decompressed output would exceed the caller's limit.
        public static let tooLarge = Code(name: "tooLarge")

        /// The stable name of the code.
        public var description: String { name }
    }

    /// Why decompression stopped.
    public let code: Code
    /// How many input bytes had been consumed when the problem was found.
    public let inputOffset: Int
    /// The decoder's reason, when it gave one (for example `incorrect data check`).
    public let detail: String?
    /// How many bytes had been decompressed when the problem was found: the work a failed attempt cost, which a
    /// caller with a budget charges like a success.
    public let outputCount: Int

    /// Creates an error.
    /// - Parameters:
    ///   - code: Why decompression stopped.
    ///   - inputOffset: How many input bytes had been consumed.
    ///   - detail: The decoder's reason, if any.
    ///   - outputCount: How many bytes had been decompressed.
    public init(code: Code, inputOffset: Int, detail: String? = nil, outputCount: Int = 0) {
        self.code = code
        self.inputOffset = inputOffset
        self.detail = detail
        self.outputCount = outputCount
    }

    /// A short message with the code, the input offset and the decoder's reason, without any of the data.
    public var description: String {
        let base: String =
            switch code {
            case .notGzip: "not gzip data (missing 1f 8b magic)"
            case .truncated: "gzip stream is truncated"
            case .corrupt: "gzip data is corrupt"
            case .checksumMismatch: "gzip checksum or length mismatch"
            case .trailingGarbage: "unexpected bytes after a gzip member"
            case .tooLarge: "gzip output exceeds the size limit"
            default: "gzip error \(code.name)"
            }
        let suffix = detail.map { " (\($0))" } ?? ""
        return "\(base) at input offset \(inputOffset)\(suffix)"
    }
}
