import CZlib

/// Owns one heap-allocated zlib deflate stream (gzip levels 0 and 2-9), so its address stays fixed for zlib's
/// internal back-pointer, and ends it on deinit.
final class ZStream {
    /// The stream, valid for the lifetime of this object.
    let pointer: UnsafeMutablePointer<z_stream>

    /// zlib's window bits (15) plus 16, which selects the gzip wrapper (RFC 1952) instead of zlib's.
    static let gzipWindowBits: Int32 = 15 + 16

    /// Creates a deflater that writes one gzip member.
    /// - Parameter level: The compression level, clamped to 0...9.
    /// - Returns: The stream, or `nil` when zlib could not allocate its state.
    static func makeDeflater(level: Int) -> ZStream? {
        let pointer = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        pointer.initialize(to: z_stream())
        let clamped = Int32(min(max(level, 0), 9))
        guard lakemark_deflateInit2(pointer, clamped, gzipWindowBits, 8, Z_DEFAULT_STRATEGY) == Z_OK else {
            pointer.deallocate()
            return nil
        }
        return ZStream(pointer: pointer)
    }

    private init(pointer: UnsafeMutablePointer<z_stream>) {
        self.pointer = pointer
    }

    deinit {
        deflateEnd(pointer)
        pointer.deallocate()
    }
}
