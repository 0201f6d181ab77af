/// Base64 with the standard alphabet (RFC 4648 §4): a fast padded encoder and a strict, fast decoder.
///
/// Decoding decisions (each one is covered by a test):
/// - Only the standard alphabet `A–Z a–z 0–9 + /` is accepted. The URL-safe characters `-` and `_` (RFC 4648 §5)
///   and every other byte are ``Base64Error/Code/invalidCharacter``.
/// - Padding is optional: `aGVsbG8` decodes like `aGVsbG8=`, unless
///   ``DecodingOptions/requiresPadding`` is set.
/// - Padding that is present must be exactly right: `aGVsbG8==`, `aG=`, `=` in the middle, or data after the
///   padding are ``Base64Error/Code/invalidPadding``.
/// - A text that ends one character into a group (`aGVsb`) is ``Base64Error/Code/invalidLength``.
/// - CR, LF, space and tab are skipped wherever they appear (MIME-style line breaks every 76 characters, a
///   trailing `\r\n`), as Go's `encoding/base64` does, unless ``DecodingOptions/ignoresWhitespace`` is off.
/// - Non-canonical trailing bits (`aGVsbG9=`, whose unused low bits are not zero) are accepted and dropped.
///
/// The decoder turns sixteen characters into twelve bytes per step with SSSE3 where the processor has it, else four
/// into three with table lookups over unsafe pointers, and falls back to a byte-at-a-time path only for the group
/// that contains whitespace, padding or an error.
public enum Base64 {
    /// How strictly ``Base64/decode(_:options:)`` reads its input.
    public struct DecodingOptions: Sendable, Hashable {
        /// Skip CR, LF, space and tab anywhere in the text. Default: `true`.
        public var ignoresWhitespace: Bool
        /// Reject a text whose last group is not padded to four characters. Default: `false`.
        public var requiresPadding: Bool

        /// Creates decoding options.
        /// - Parameters:
        ///   - ignoresWhitespace: Skip CR, LF, space and tab anywhere in the text. Default: `true`.
        ///   - requiresPadding: Reject an unpadded last group. Default: `false`.
        public init(ignoresWhitespace: Bool = true, requiresPadding: Bool = false) {
            self.ignoresWhitespace = ignoresWhitespace
            self.requiresPadding = requiresPadding
        }
    }

    /// The number of characters ``encode(_:)`` produces for a given input size.
    /// - Parameter byteCount: The number of bytes to encode.
    /// - Returns: `4 * ceil(byteCount / 3)`.
    public static func encodedCount(of byteCount: Int) -> Int {
        (byteCount + 2) / 3 * 4
    }

    /// Encodes bytes as padded standard base64.
    /// - Parameter bytes: The bytes to encode.
    /// - Returns: The ASCII characters of the encoding.
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let count = encodedCount(of: bytes.count)
        guard count > 0 else { return [] }
        return encodePairs.withUnsafeBufferPointer { pairs in
            [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
                encode(bytes, pairs: pairs.baseAddress!, into: UnsafeMutableRawPointer(output.baseAddress!))
                initialized = count
            }
        }
    }

    /// Encodes bytes as padded standard base64.
    /// - Parameter bytes: The bytes to encode.
    /// - Returns: The ASCII characters of the encoding.
    public static func encode(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { encode($0) }
    }

    /// Decodes standard base64 following the decisions listed on ``Base64``.
    /// - Parameters:
    ///   - base64: The base64 characters.
    ///   - options: How strictly to read them. Default: whitespace skipped, padding optional.
    /// - Returns: The decoded bytes.
    /// - Throws: ``Base64Error`` naming the problem and its byte offset.
    public static func decode(
        _ base64: UnsafeRawBufferPointer,
        options: DecodingOptions = DecodingOptions()
    ) throws(Base64Error) -> [UInt8] {
        guard base64.count > 0 else { return [] }
        let capacity = base64.count / 4 * 3 + 3
        return try decodeTables.withUnsafeBufferPointer { (tables) throws(Base64Error) in
            try [UInt8](unsafeUninitializedCapacity: capacity) { (output, initialized) throws(Base64Error) in
                var decoder = Decoder(
                    input: base64.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    count: base64.count,
                    output: output.baseAddress!,
                    tables: tables.baseAddress!,
                    options: options
                )
                initialized = try decoder.run()
            }
        }
    }

    /// Decodes standard base64 following the decisions listed on ``Base64``.
    /// - Parameters:
    ///   - base64: The base64 characters.
    ///   - options: How strictly to read them. Default: whitespace skipped, padding optional.
    /// - Returns: The decoded bytes.
    /// - Throws: ``Base64Error`` naming the problem and its byte offset.
    public static func decode(
        _ base64: [UInt8],
        options: DecodingOptions = DecodingOptions()
    ) throws(Base64Error) -> [UInt8] {
        try base64.withUnsafeBufferPointer { (buffer) throws(Base64Error) in
            try decode(UnsafeRawBufferPointer(buffer), options: options)
        }
    }

    /// Writes the padded encoding of `bytes` to `output`, which must hold `encodedCount(of: bytes.count)` bytes.
    private static func encode(
        _ bytes: UnsafeRawBufferPointer,
        pairs: UnsafePointer<UInt16>,
        into output: UnsafeMutableRawPointer
    ) {
        let input = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let count = bytes.count
        var i = 0
        var o = 0
        while i + 3 <= count {
            let group = Int(input[i]) << 16 | Int(input[i + 1]) << 8 | Int(input[i + 2])
            output.storeBytes(of: pairs[group >> 12], toByteOffset: o, as: UInt16.self)
            output.storeBytes(of: pairs[group & 0xFFF], toByteOffset: o + 2, as: UInt16.self)
            i += 3
            o += 4
        }
        let rest = count - i
        guard rest > 0 else { return }
        let equals = UInt8(ascii: "=")
        let group = Int(input[i]) << 16 | (rest == 2 ? Int(input[i + 1]) << 8 : 0)
        output.storeBytes(of: pairs[group >> 12], toByteOffset: o, as: UInt16.self)
        let last = pairs[group & 0xFFF]
        output.storeBytes(of: last, toByteOffset: o + 2, as: UInt16.self)
        if rest == 1 { output.storeBytes(of: equals, toByteOffset: o + 2, as: UInt8.self) }
        output.storeBytes(of: equals, toByteOffset: o + 3, as: UInt8.self)
    }
}
