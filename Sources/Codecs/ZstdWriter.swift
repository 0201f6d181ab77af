import CZstd

/// Compresses bytes into zstd frames (RFC 8878) with one reusable libzstd context: either streamed, piece by piece
/// (``append(_:)`` then ``finish()``), or one buffer at a time (``compress(_:)``).
///
/// Frames carry their content size when known (``compress(_:)``) and a content checksum. Not thread-safe: use one
/// writer per task.
public final class ZstdWriter {
    /// The compression context, valid for the lifetime of this object.
    private let context: OpaquePointer
    /// The compressed bytes produced so far for the current streamed frame.
    private var compressed: [UInt8] = []
    /// The fixed buffer libzstd streams into before bytes are copied to `compressed`.
    private let scratch: UnsafeMutableRawPointer
    /// The size of `scratch` (libzstd's recommended streaming output size).
    private let scratchSize: Int

    /// The number of bytes appended to the current streamed frame.
    public private(set) var uncompressedCount = 0

    /// The level actually used, after clamping.
    public let level: Int

    /// Creates a writer.
    /// - Note: Traps when libzstd cannot allocate its context, like any Swift allocation failure.
    /// - Parameter level: The zstd level: 1 (fastest) to 19 (smallest; 20–22 need much memory), negative levels
    ///   trade ratio for speed; clamped to what libzstd supports. Default: 3, libzstd's default.
    public init(level: Int = 3) {
        guard let context = ZSTD_createCCtx() else { fatalError("libzstd could not allocate a compression context") }
        self.context = context
        let clamped = min(max(level, Int(ZSTD_minCLevel())), Int(ZSTD_maxCLevel()))
        self.level = clamped
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(clamped))
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        scratchSize = ZSTD_CStreamOutSize()
        scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchSize, alignment: 16)
    }

    deinit {
        ZSTD_freeCCtx(context)
        scratch.deallocate()
    }

    /// Compresses more bytes into the current streamed frame.
    /// - Parameter bytes: The bytes to add.
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var input = ZSTD_inBuffer(src: base, size: bytes.count, pos: 0)
        while input.pos < input.size {
            stream(&input, directive: ZSTD_e_continue)
        }
        uncompressedCount += bytes.count
    }

    /// Compresses more bytes into the current streamed frame.
    /// - Parameter bytes: The bytes to add.
    public func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Ends the current streamed frame and returns it; the writer is reset for a new frame.
    /// - Returns: One complete zstd frame (an empty input gives a valid frame of no content).
    public func finish() -> [UInt8] {
        var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while stream(&input, directive: ZSTD_e_end) != 0 {}
        uncompressedCount = 0
        defer { compressed = [] }
        return compressed
    }

    /// Compresses one buffer into one frame, independently of any streamed frame in progress (which must not
    /// exist: call ``finish()`` first).
    /// - Parameter bytes: The bytes to compress.
    /// - Returns: One complete zstd frame that records the content size.
    public func compress(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(uncompressedCount == 0, "ZstdWriter.compress called in the middle of a streamed frame")
        let bound = ZSTD_compressBound(bytes.count)
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            let written = ZSTD_compress2(context, buffer.baseAddress, bound, bytes.baseAddress, bytes.count)
            precondition(ZSTD_isError(written) == 0,
                         "ZSTD_compress2 failed: \(String(cString: ZSTD_getErrorName(written)))")
            count = written
        }
    }

    /// Compresses one buffer into one frame written to caller-owned memory, so a caller compressing many buffers can
    /// reuse one output buffer. The same rules as ``compress(_:)-(UnsafeRawBufferPointer)`` apply.
    /// - Parameters:
    ///   - bytes: The bytes to compress.
    ///   - output: Where the frame is written; ``compressBound(_:)`` bytes always suffice.
    /// - Returns: The frame's size in bytes, or `nil` when `output` is too small.
    public func compress(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        precondition(uncompressedCount == 0, "ZstdWriter.compress called in the middle of a streamed frame")
        let written = ZSTD_compress2(context, output.baseAddress, output.count, bytes.baseAddress, bytes.count)
        if ZSTD_isError(written) != 0 {
            precondition(ZSTD_getErrorCode(written) == ZSTD_error_dstSize_tooSmall,
                         "ZSTD_compress2 failed: \(String(cString: ZSTD_getErrorName(written)))")
            return nil
        }
        return written
    }

    /// The largest frame ``compress(_:)-(UnsafeRawBufferPointer)`` can produce for `count` bytes.
    /// - Parameter count: The input size in bytes.
    /// - Returns: libzstd's worst-case bound.
    public static func compressBound(_ count: Int) -> Int {
        ZSTD_compressBound(count)
    }

    /// Compresses one buffer into one frame; see ``compress(_:)-(UnsafeRawBufferPointer)``.
    /// - Parameter bytes: The bytes to compress.
    /// - Returns: One complete zstd frame.
    public func compress(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { compress($0) }
    }

    /// Runs one streaming call into the scratch buffer and moves its output to `compressed`.
    /// - Returns: libzstd's remaining-to-flush hint (0 when the directive is complete).
    @discardableResult
    private func stream(_ input: inout ZSTD_inBuffer, directive: ZSTD_EndDirective) -> Int {
        var output = ZSTD_outBuffer(dst: scratch, size: scratchSize, pos: 0)
        let remaining = ZSTD_compressStream2(context, &output, &input, directive)
        precondition(ZSTD_isError(remaining) == 0,
                     "ZSTD_compressStream2 failed: \(String(cString: ZSTD_getErrorName(remaining)))")
        let produced = UnsafeRawBufferPointer(start: scratch, count: output.pos)
        compressed.append(contentsOf: produced)
        return remaining
    }
}
