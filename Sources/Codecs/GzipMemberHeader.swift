/// The header of one gzip member (RFC 1952 §2.3): checked and skipped by ``GzipInflater``, which leaves zlib only
/// the raw deflate data so it can check each member's CRC-32 and length itself.
enum GzipMemberHeader {
    /// The flag bits RFC 1952 defines: FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT.
    private static let text: UInt8 = 0x01
    private static let headerCRC: UInt8 = 0x02
    private static let extra: UInt8 = 0x04
    private static let name: UInt8 = 0x08
    private static let comment: UInt8 = 0x10
    /// Bytes before the optional fields: magic, method, flags, modification time, extra flags, system.
    private static let fixedSize = 10
    /// The only compression method defined, deflate.
    private static let deflateMethod: UInt8 = 8

    /// The offset just past the header that starts at `start`.
    /// - Parameters:
    ///   - input: The gzip stream.
    ///   - count: The stream's size.
    ///   - start: Where the member starts; its magic bytes are already known to be there.
    /// - Returns: Where the member's deflate data begins.
    /// - Throws: ``GzipError`` `.truncated` when the header runs past the input, `.corrupt` for an unknown method,
    ///   reserved flag bits set or a header CRC that does not match — what zlib's gzip wrapper refuses.
    static func skip(_ input: UnsafePointer<UInt8>, count: Int, from start: Int) throws(GzipError) -> Int {
        guard count - start >= fixedSize else { throw GzipError(code: .truncated, inputOffset: count) }
        guard input[start + 2] == deflateMethod else {
            throw GzipError(code: .corrupt, inputOffset: start + 2, detail: "unknown compression method")
        }
        let flags = input[start + 3]
        guard flags & ~(text | headerCRC | extra | name | comment) == 0 else {
            throw GzipError(code: .corrupt, inputOffset: start + 3, detail: "unknown header flags set")
        }
        var offset = start + fixedSize
        if flags & extra != 0 {
            guard count - offset >= 2 else { throw GzipError(code: .truncated, inputOffset: count) }
            let length = Int(input[offset]) | Int(input[offset + 1]) << 8
            guard count - offset - 2 >= length else { throw GzipError(code: .truncated, inputOffset: count) }
            offset += 2 + length
        }
        for field in [name, comment] where flags & field != 0 {
            while offset < count && input[offset] != 0 { offset += 1 }
            guard offset < count else { throw GzipError(code: .truncated, inputOffset: count) }
            offset += 1
        }
        if flags & headerCRC != 0 {
            guard count - offset >= 2 else { throw GzipError(code: .truncated, inputOffset: count) }
            let stated = UInt32(input[offset]) | UInt32(input[offset + 1]) << 8
            let actual = CRC32.update(0, input + start, count: offset - start) & 0xFFFF
            guard stated == actual else {
                throw GzipError(code: .corrupt, inputOffset: offset, detail: "header crc mismatch")
            }
            offset += 2
        }
        return offset
    }
}
