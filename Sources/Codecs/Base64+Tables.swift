import CSIMDKernels

/// Lookup tables shared by the base64 encoder and decoder, built once per process.
extension Base64 {
    /// The 64 characters of the standard alphabet (RFC 4648 §4), in value order.
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Whether this processor decodes sixteen characters a step with SSSE3 (checked once).
    static let isSSSE3Available = lakemark_base64_ssse3_supported() != 0

    /// Marks a byte that is not in the alphabet; set in the top byte so one test covers four lookups.
    static let invalidMarker: UInt32 = 0xFF00_0000

    /// Five 256-entry decode tables laid out back to back. Table `k` (0...3) maps a character at position `k` of
    /// a group of four to its bits of the group's three bytes, numbered in output order (byte `n` of the output in
    /// bits `8n...8n+7`), or to ``invalidMarker``: OR-ing four lookups yields the three bytes, ready for one
    /// little-endian 32-bit store, or a value with the marker set when any character needs the slow path.
    /// Table 4 maps a character to its plain 6-bit value, or to the marker, for the character-at-a-time path.
    static let decodeTables: [UInt32] = {
        var tables = [UInt32](repeating: invalidMarker, count: 5 * 256)
        for (value, character) in alphabet.enumerated() {
            for position in 0..<4 {
                let group = UInt32(value) << (18 - 6 * position)
                let ordered = (group >> 16) & 0xFF | (group & 0xFF00) | (group & 0xFF) << 16
                tables[position * 256 + Int(character)] = ordered
            }
            tables[4 * 256 + Int(character)] = UInt32(value)
        }
        return tables
    }()

    /// Maps each 12-bit value to the two alphabet characters that encode it, laid out so that storing the
    /// `UInt16` writes the first character first on any byte order.
    static let encodePairs: [UInt16] = {
        var pairs = [UInt16](repeating: 0, count: 4096)
        for value in 0..<4096 {
            let first = UInt16(alphabet[value >> 6])
            let second = UInt16(alphabet[value & 63])
            pairs[value] = UInt16(littleEndian: first | second << 8)
        }
        return pairs
    }()
}
