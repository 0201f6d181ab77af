import CZlib

/// Owns one heap-allocated zlib stream, so its address stays fixed for zlib's internal back-pointer, and
/// ends it on deinit.
final class ZStream {
    /// Which direction the stream was initialised for.
    enum Direction {
        /// `inflateInit2`, raw deflate (``GzipInflater`` checks the gzip framing).
        case inflate
        /// `deflateInit2`, gzip wrapper.
        case deflate
    }

    /// The stream, valid for the lifetime of this object.
    let pointer: UnsafeMutablePointer<z_stream>
    /// The direction, which decides the matching `…End` call.
    let direction: Direction

    /// zlib's window bits (15) plus 16, which selects the gzip wrapper (RFC 1952) instead of zlib's.
    static let gzipWindowBits: Int32 = 15 + 16

    /// zlib's window bits negated: raw deflate data, no wrapper.
    static let rawWindowBits: Int32 = -15

    /// Creates an inflater of raw deflate data (a gzip member's body).
    /// - Returns: The stream, or `nil` when zlib could not allocate its state.
    static func makeInflater() -> ZStream? {
        let pointer = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        pointer.initialize(to: z_stream())
        guard lakemark_inflateInit2(pointer, rawWindowBits) == Z_OK else {
            pointer.deallocate()
            return nil
        }
        return ZStream(pointer: pointer, direction: .inflate)
    }

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
        return ZStream(pointer: pointer, direction: .deflate)
    }

    private init(pointer: UnsafeMutablePointer<z_stream>, direction: Direction) {
        self.pointer = pointer
        self.direction = direction
    }

    deinit {
        switch direction {
        case .inflate: inflateEnd(pointer)
        case .deflate: deflateEnd(pointer)
        }
        pointer.deallocate()
    }

    /// zlib's last message, if any.
    var message: String? {
        pointer.pointee.msg.map { String(cString: $0) }
    }
}
