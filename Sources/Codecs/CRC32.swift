import CSIMDKernels
import CZlib

/// CRC-32 as gzip's trailer carries it (ISO 3309, the reflected polynomial 0xEDB88320), in zlib's convention:
/// start from 0 and pass the previous value to continue over more bytes.
///
/// Buffers of 64 bytes or more are folded 64 bytes at a time with carry-less multiplication (PCLMULQDQ) where the
/// processor has it, about three times zlib's table-driven `crc32` here; shorter buffers, and processors without
/// the instruction, use zlib's.
public enum CRC32 {
    /// Whether this processor folds with carry-less multiplication (checked once).
    public static let isCarrylessMultiplyAvailable = lakemark_crc32_clmul_supported() != 0

    /// The shortest buffer the folding path takes.
    private static let foldingMinimum = 64

    /// The CRC-32 of `count` bytes at `bytes`, continuing from `crc`.
    /// - Parameters:
    ///   - crc: The CRC-32 of the bytes before these, or 0 to start.
    ///   - bytes: The bytes; may be `nil` only when `count` is 0.
    ///   - count: How many bytes.
    /// - Returns: The CRC-32 of the earlier bytes followed by these.
    public static func update(_ crc: UInt32, _ bytes: UnsafePointer<UInt8>?, count: Int) -> UInt32 {
        guard let bytes, count > 0 else { return crc }
        if count >= foldingMinimum && isCarrylessMultiplyAvailable {
            return lakemark_crc32_clmul(crc, bytes, count)
        }
        var crc = UInt(crc)
        var offset = 0
        while offset < count {
            let chunk = min(count - offset, Int(UInt32.max))
            crc = CZlib.crc32(crc, bytes + offset, UInt32(chunk))
            offset += chunk
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// The CRC-32 of a buffer, continuing from `crc`.
    /// - Parameters:
    ///   - crc: The CRC-32 of the bytes before these, or 0 to start.
    ///   - buffer: The bytes.
    /// - Returns: The CRC-32 of the earlier bytes followed by these.
    public static func update(_ crc: UInt32, _ buffer: UnsafeRawBufferPointer) -> UInt32 {
        update(crc, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), count: buffer.count)
    }
}
