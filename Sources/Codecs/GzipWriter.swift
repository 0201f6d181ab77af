import CZlib

/// Streams bytes into one gzip member, so many pieces (for example NDJSON events) can be compressed without
/// first concatenating them.
///
/// Call ``append(_:)`` for each piece and ``finish()`` to get the member; the writer
/// is then reset and ready for a new member. Not thread-safe: use one writer per task.
public final class GzipWriter {
    /// The zlib stream.
    private let stream: ZStream
    /// The compressed bytes produced so far for the current member.
    private var compressed: [UInt8] = []
    /// The fixed buffer zlib deflates into before bytes are copied to `compressed`.
    private let scratch: UnsafeMutablePointer<UInt8>
    /// The size of `scratch`.
    private static let scratchSize = 64 * 1024

    /// The number of bytes appended to the current member.
    public private(set) var uncompressedCount = 0

    /// The number of compressed bytes produced so far for the current member (zlib may hold more internally
    /// until ``finish()``).
    public var compressedCount: Int { compressed.count }

    /// Creates a writer.
    /// - Note: Traps when zlib cannot allocate its deflate state (about 256 KiB), like any Swift allocation
    ///   failure.
    /// - Parameter level: The zlib level, 0 (store) to 9 (smallest); values outside are clamped.
    ///   Default: 1, the fastest that compresses.
    public init(level: Int = 1) {
        guard let stream = ZStream.makeDeflater(level: level) else {
            fatalError("zlib could not allocate a deflate stream")
        }
        self.stream = stream
        scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.scratchSize)
    }

    deinit {
        scratch.deallocate()
    }

    /// Reserves output space for compressing `count` bytes in one go (zlib's worst-case bound).
    func reserveOutput(forInputCount count: Int) {
        compressed.reserveCapacity(Int(deflateBound(stream.pointer, UInt(count))))
    }

    /// Compresses more bytes into the current member.
    /// - Parameter bytes: The bytes to add.
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let input = base.assumingMemoryBound(to: UInt8.self)
        var offset = 0
        while offset < bytes.count {
            let chunk = min(bytes.count - offset, Gzip.maximumChunk)
            let z = stream.pointer
            z.pointee.next_in = UnsafeMutablePointer(mutating: input + offset)
            z.pointee.avail_in = UInt32(chunk)
            repeat {
                run(flush: Z_NO_FLUSH)
            } while z.pointee.avail_in > 0
            offset += chunk
        }
        uncompressedCount += bytes.count
    }

    /// Compresses more bytes into the current member.
    /// - Parameter bytes: The bytes to add.
    public func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Ends the current member and returns it; the writer is reset for a new member.
    /// - Returns: One complete gzip member (header, data, CRC-32 and length trailer).
    public func finish() -> [UInt8] {
        let z = stream.pointer
        z.pointee.next_in = nil
        z.pointee.avail_in = 0
        while run(flush: Z_FINISH) != Z_STREAM_END {}
        deflateReset(z)
        uncompressedCount = 0
        defer { compressed = [] }
        return compressed
    }

    /// Runs one deflate call into the scratch buffer and moves its output to `compressed`.
    /// - Returns: zlib's status.
    @discardableResult
    private func run(flush: Int32) -> Int32 {
        let z = stream.pointer
        z.pointee.next_out = scratch
        z.pointee.avail_out = UInt32(Self.scratchSize)
        let status = deflate(z, flush)
        precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR, "deflate failed: \(status)")
        let produced = Self.scratchSize - Int(z.pointee.avail_out)
        compressed.append(contentsOf: UnsafeBufferPointer(start: scratch, count: produced))
        return status
    }
}
