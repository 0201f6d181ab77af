import CZlib

/// Gzip (RFC 1952): detection, capped multi-member inflate (``DeflateDecoder``, Lakemark's own) and one-shot deflate
/// (level 1 with ``GreedyDeflater``, Lakemark's own encoder; other levels with zlib).
///
/// Inflate decisions:
/// - Every member of a multi-member stream is decompressed and the outputs are concatenated (as `gzip -d`).
/// - The output is capped: once it would exceed `limit`, decoding stops with ``GzipError/Code/tooLarge``. The
///   decoder writes straight into the result, sized from the last member's length trailer (at most `limit`);
///   output beyond that moves to a result of twice the size, never more than one byte past `limit`, so a gzip bomb
///   costs at most about twice `limit` bytes.
/// - A stream of more than 1,000 dynamic blocks that each decode to under 16 bytes is ``GzipError/Code/corrupt``
///   (see ``DeflateDecoder``): no encoder writes them, and they would make a small input cost seconds of CPU.
/// - A stream that ends inside a member is ``GzipError/Code/truncated``; a bad CRC-32 or length trailer is
///   ``GzipError/Code/checksumMismatch``; bytes after a member that do not start a new one are
///   ``GzipError/Code/trailingGarbage`` (zero padding included).
public enum Gzip {
    /// The largest chunk handed to zlib's deflate at once (its counters are 32-bit).
    static let maximumChunk = 1 << 30
    /// The highest expansion ratio deflate can reach (about 1032:1), used to bound the size hint.
    static let maximumRatio = 1032
    /// Deflate streams reused by ``deflate(_:level:)`` (``GzipWriter/finish()`` resets them): as many as compress at
    /// once, at most eight idle.
    static let writers = WriterPool<GzipWriter>(maxIdle: 8) { GzipWriter(level: $0) }

    /// Whether the bytes start with the gzip magic `1f 8b`.
    /// - Parameter bytes: The bytes to test.
    /// - Returns: `true` when the first two bytes are `1f 8b`.
    public static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Whether the bytes start with the gzip magic `1f 8b`.
    /// - Parameter bytes: The bytes to test.
    /// - Returns: `true` when the first two bytes are `1f 8b`.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Decompresses every member of a gzip stream, refusing output larger than `limit`.
    /// - Parameters:
    ///   - bytes: The gzip stream (one or more members, nothing after the last one).
    ///   - limit: The largest allowed decompressed size in bytes; output of exactly `limit` bytes is accepted.
    /// - Returns: The concatenated output of all members.
    /// - Throws: ``GzipError`` (see ``Gzip`` for the codes).
    public static func inflate(_ bytes: UnsafeRawBufferPointer, limit: Int) throws(GzipError) -> [UInt8] {
        let limit = max(0, limit)
        var inflater = try GzipInflater(bytes)
        // Straight into the result's memory, sized from the last member's length trailer: a single member with an
        // honest trailer is decompressed without a copy. Otherwise into results that double, never beyond one byte
        // past the limit: a bomb costs no work beyond what proves it too large.
        var output: [UInt8] = []
        var capacity = initialCapacity(for: bytes, limit: limit)
        while true {
            var failure: GzipError?
            var usable = 0
            output = [UInt8](unsafeUninitializedCapacity: max(capacity, 1)) { buffer, count in
                guard let base = buffer.baseAddress else { return }
                output.withUnsafeBufferPointer { earlier in
                    guard let start = earlier.baseAddress else { return }
                    base.initialize(from: start, count: earlier.count)
                }
                count = output.count
                usable = min(buffer.count, limit + 1)
                do throws(GzipError) {
                    try inflater.run(into: base, capacity: usable, written: &count)
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            // Too large: the output reached one byte past the limit, or the next symbol would take it there.
            let tooLarge = GzipError(code: .tooLarge, inputOffset: inflater.consumed, outputCount: limit + 1)
            guard output.count <= limit else { throw tooLarge }
            if inflater.isFinished { return output }
            guard usable <= limit else { throw tooLarge }
            // No large floor: a batch keeps each record's output, so a small record must not hold a large one.
            capacity = min(limit + 1, max(usable * 2, usable + 256))
        }
    }

    /// Decompresses every member of a gzip stream, refusing output larger than `limit`.
    /// - Parameters:
    ///   - bytes: The gzip stream (one or more members, nothing after the last one).
    ///   - limit: The largest allowed decompressed size in bytes; output of exactly `limit` bytes is accepted.
    /// - Returns: The concatenated output of all members.
    /// - Throws: ``GzipError`` (see ``Gzip`` for the codes).
    public static func inflate(_ bytes: [UInt8], limit: Int) throws(GzipError) -> [UInt8] {
        try bytes.withUnsafeBufferPointer { (buffer) throws(GzipError) in
            try inflate(UnsafeRawBufferPointer(buffer), limit: limit)
        }
    }

    /// Compresses bytes into a single gzip member.
    /// - Parameters:
    ///   - bytes: The bytes to compress.
    ///   - level: 1 (the default, the fastest that compresses) uses ``GreedyDeflater``; 0 (store) and 2 to 9
    ///     (smallest) are zlib's levels.
    /// - Returns: One complete gzip member.
    public static func deflate(_ bytes: UnsafeRawBufferPointer, level: Int = 1) -> [UInt8] {
        if level == 1 && bytes.count <= GreedyDeflater.largestInput { return GreedyDeflater.gzipMember(bytes) }
        return writers.withWriter(level: level) { writer in
            writer.reserveOutput(forInputCount: bytes.count)
            writer.append(bytes)
            return writer.finish()
        }
    }

    /// Compresses bytes into a single gzip member.
    /// - Parameters:
    ///   - bytes: The bytes to compress.
    ///   - level: 1 (the default) uses ``GreedyDeflater``; 0 and 2 to 9 are zlib's levels.
    /// - Returns: One complete gzip member.
    public static func deflate(_ bytes: [UInt8], level: Int = 1) -> [UInt8] {
        bytes.withUnsafeBytes { deflate($0, level: level) }
    }

    /// The size a gzip stream's last member declares (its ISIZE trailer, the length modulo 2^32), when the stream is
    /// long enough to have one and the size is possible for its length (at most ``maximumRatio`` times it). A single
    /// member that decodes to exactly this size was honest.
    /// - Parameter bytes: The gzip stream.
    /// - Returns: The declared size, or `nil`.
    public static func declaredSize(of bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 18 else { return nil }
        let end = bytes.count
        let trailer = Int(bytes[end - 4]) | Int(bytes[end - 3]) << 8 | Int(bytes[end - 2]) << 16
            | Int(bytes[end - 1]) << 24
        return trailer <= bytes.count.multipliedReportingOverflow(by: maximumRatio).partialValue ? trailer : nil
    }

    /// The first output reservation, never more than one byte past `limit` (room to prove a stream too large
    /// without a second buffer): the last member's length trailer (ISIZE) when it is plausible for the input size,
    /// so a well-formed single member decodes into memory of exactly its size; otherwise four times the input, grown
    /// from there. No floor: a batch keeps each record's inflated bytes, so 10,000 tiny gzip records must not each
    /// hold a large reservation.
    private static func initialCapacity(for bytes: UnsafeRawBufferPointer, limit: Int) -> Int {
        let modest = min(limit + 1, bytes.count.multipliedReportingOverflow(by: 4).partialValue)
        // A trailer beyond the limit gets the limit and one byte more: the first pass then proves the stream too large.
        return declaredSize(of: bytes).map { min($0, limit + 1) } ?? modest
    }
}
