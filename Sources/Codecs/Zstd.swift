import CZstd

/// Zstandard (RFC 8878) on top of the system libzstd: detection, one-shot compression and capped decompression.
///
/// Decompression decisions (the same as ``Gzip``'s):
/// - Every frame of a multi-frame stream is decompressed and the outputs are concatenated (as `zstd -d`);
///   skippable frames are skipped.
/// - The output is capped: once it would exceed `limit`, decoding stops with ``ZstdError/Code/tooLarge``. libzstd
///   writes into a fixed scratch buffer first, so a zstd bomb costs at most `limit` bytes plus that buffer.
/// - A stream that ends inside a frame is ``ZstdError/Code/truncated``; a wrong content checksum is
///   ``ZstdError/Code/checksumMismatch``; bytes after a frame that do not start a new one are
///   ``ZstdError/Code/corrupt``.
public enum Zstd {
    /// Compression contexts reused by ``compress(_:level:)`` (each call starts a new frame with the context's
    /// parameters): as many as compress at once, at most eight idle.
    static let writers = WriterPool<ZstdWriter>(maxIdle: 8) { ZstdWriter(level: $0) }

    /// Whether the bytes start with a zstd frame (`28 b5 2f fd`) or a skippable frame (`5?  2a 4d 18`).
    /// - Parameter bytes: The bytes to test.
    /// - Returns: `true` when the first four bytes are a zstd or skippable-frame magic number.
    public static func isZstd(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 4 else { return false }
        let magic = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
        return magic == ZSTD_MAGICNUMBER || magic & ZSTD_MAGIC_SKIPPABLE_MASK == ZSTD_MAGIC_SKIPPABLE_START
    }

    /// Whether the bytes start with a zstd frame or a skippable frame.
    /// - Parameter bytes: The bytes to test.
    /// - Returns: `true` when the first four bytes are a zstd or skippable-frame magic number.
    public static func isZstd(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { isZstd($0) }
    }

    /// Compresses bytes into a single frame.
    /// - Parameters:
    ///   - bytes: The bytes to compress.
    ///   - level: The zstd level (see ``ZstdWriter/init(level:)``). Default: 3.
    /// - Returns: One complete zstd frame with the content size and a checksum.
    public static func compress(_ bytes: UnsafeRawBufferPointer, level: Int = 3) -> [UInt8] {
        writers.withWriter(level: level) { $0.compress(bytes) }
    }

    /// Compresses bytes into a single frame.
    /// - Parameters:
    ///   - bytes: The bytes to compress.
    ///   - level: The zstd level (see ``ZstdWriter/init(level:)``). Default: 3.
    /// - Returns: One complete zstd frame with the content size and a checksum.
    public static func compress(_ bytes: [UInt8], level: Int = 3) -> [UInt8] {
        bytes.withUnsafeBytes { compress($0, level: level) }
    }

    /// Decompresses every frame of a zstd stream, refusing output larger than `limit`.
    /// - Parameters:
    ///   - bytes: The zstd stream (one or more frames, nothing after the last one).
    ///   - limit: The largest allowed decompressed size in bytes; output of exactly `limit` bytes is accepted.
    /// - Returns: The concatenated output of all frames.
    /// - Throws: ``ZstdError`` (see ``Zstd`` for the codes).
    public static func decompress(_ bytes: UnsafeRawBufferPointer, limit: Int) throws(ZstdError) -> [UInt8] {
        let limit = max(0, limit)
        guard isZstd(bytes) else { throw ZstdError(code: .notZstd, inputOffset: 0) }
        guard let context = ZSTD_createDCtx() else { throw ZstdError(code: .outOfMemory, inputOffset: 0) }
        defer { ZSTD_freeDCtx(context) }
        let scratchSize = ZSTD_DStreamOutSize()
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchSize, alignment: 16)
        defer { scratch.deallocate() }
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        var output: [UInt8] = []
        var frameComplete = false
        while true {
            var out = ZSTD_outBuffer(dst: scratch, size: scratchSize, pos: 0)
            let hint = ZSTD_decompressStream(context, &out, &input)
            if ZSTD_isError(hint) != 0 {
                throw error(for: hint, inputOffset: input.pos)
            }
            if out.pos > 0 {
                guard out.pos <= limit - output.count else { throw ZstdError(code: .tooLarge, inputOffset: input.pos) }
                if output.count + out.pos > output.capacity {
                    output.reserveCapacity(min(limit, max(output.count + out.pos, output.capacity * 2)))
                }
                output.append(contentsOf: UnsafeRawBufferPointer(start: scratch, count: out.pos))
            }
            frameComplete = hint == 0
            // Once the input is consumed, libzstd may still hold decoded blocks (a highly compressible frame is read
            // whole at once): keep flushing until the frame is complete, or until a call makes no progress (the
            // stream is truncated).
            if input.pos == input.size && (frameComplete || out.pos == 0) { break }
        }
        guard frameComplete else { throw ZstdError(code: .truncated, inputOffset: input.pos) }
        return output
    }

    /// Decompresses every frame of a zstd stream, refusing output larger than `limit`.
    /// - Parameters:
    ///   - bytes: The zstd stream (one or more frames, nothing after the last one).
    ///   - limit: The largest allowed decompressed size in bytes; output of exactly `limit` bytes is accepted.
    /// - Returns: The concatenated output of all frames.
    /// - Throws: ``ZstdError`` (see ``Zstd`` for the codes).
    public static func decompress(_ bytes: [UInt8], limit: Int) throws(ZstdError) -> [UInt8] {
        try bytes.withUnsafeBufferPointer { (buffer) throws(ZstdError) in
            try decompress(UnsafeRawBufferPointer(buffer), limit: limit)
        }
    }

    /// The error for a libzstd error result.
    private static func error(for result: Int, inputOffset: Int) -> ZstdError {
        let detail = String(cString: ZSTD_getErrorName(result))
        let code: ZstdError.Code =
            switch ZSTD_getErrorCode(result) {
            case ZSTD_error_checksum_wrong: .checksumMismatch
            case ZSTD_error_memory_allocation: .outOfMemory
            default: .corrupt
            }
        return ZstdError(code: code, inputOffset: inputOffset, detail: detail)
    }
}
