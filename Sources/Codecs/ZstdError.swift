/// A zstd stream that ``Zstd/decompress(_:limit:)`` could not decompress.
public struct ZstdError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why decompression stopped. The names are stable and safe to log.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name of the code, for logs and error messages.
        public let name: String

        /// The input does not start with a zstd frame (magic `28 b5 2f fd`) or a skippable frame.
        public static let notZstd = Code(name: "notZstd")
        /// The input ends inside a frame.
        public static let truncated = Code(name: "truncated")
        /// The compressed data or a frame header is invalid, or bytes after a frame do not start another frame.
        public static let corrupt = Code(name: "corrupt")
        /// A frame's content checksum does not match its data.
        public static let checksumMismatch = Code(name: "checksumMismatch")
        /// The decompressed output would exceed the caller's limit.
        public static let tooLarge = Code(name: "tooLarge")
        /// libzstd could not allocate its state.
        public static let outOfMemory = Code(name: "outOfMemory")

        /// The stable name of the code.
        public var description: String { name }
    }

    /// Why decompression stopped.
    public let code: Code
    /// How many input bytes had been consumed when the problem was found.
    public let inputOffset: Int
    /// libzstd's own message, when it gave one.
    public let detail: String?

    /// Creates an error.
    /// - Parameters:
    ///   - code: Why decompression stopped.
    ///   - inputOffset: How many input bytes had been consumed.
    ///   - detail: libzstd's own message, if any.
    public init(code: Code, inputOffset: Int, detail: String? = nil) {
        self.code = code
        self.inputOffset = inputOffset
        self.detail = detail
    }

    /// A short message with the code, the input offset and libzstd's message, without any of the data.
    public var description: String {
        let suffix = detail.map { " (\($0))" } ?? ""
        return "zstd \(code.name) at input offset \(inputOffset)\(suffix)"
    }
}
