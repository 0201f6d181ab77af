/// Lakemark's own deflate encoder (RFC 1951) for gzip level 1: one pass, greedy matches, one candidate per hash.
///
/// zlib's level 1 follows hash chains and inserts every position of short matches; this encoder looks up one
/// earlier position per 4-byte hash, extends a match eight bytes at a time and hashes only the position two before
/// the match's end of those it covers. Each block of about 64 KB of input is written with whichever is smallest of
/// its own Huffman codes, the fixed codes or no compression, chosen from the exact bit counts. On the enriched NDJSON
/// Lakemark writes it runs about twice as fast as zlib's level 1 for objects of about the same size (the README's
/// Benchmarks section has the figures); every gzip reader decodes it, and the tests check it against zlib's inflate
/// and GNU gzip.
enum GreedyDeflater {
    /// Bits of the 4-byte hash: a table of 2^15 positions.
    static let hashBits = 15
    /// Input a block starts matches in: a block then covers at most 64,257 bytes, under the 65,535 of a stored block.
    static let blockInputBytes = 64_000
    /// The farthest back a match may reach.
    static let windowBytes = 32_768
    /// The longest match.
    static let longestMatch = 258
    /// The biggest input the encoder takes (positions are kept as `UInt32`); ``Gzip`` hands larger ones to zlib.
    static let largestInput = Int(Int32.max)
    /// Working memory reused between compressions: as many as compress at once, at most eight idle.
    static let scratchPool = WriterPool<DeflateScratch>(maxIdle: 8) { _ in DeflateScratch() }

    /// Compresses bytes into one gzip member (RFC 1952) with a deflate stream of this encoder.
    /// - Parameter input: The bytes to compress; at most ``largestInput``.
    /// - Returns: The member: header, deflate stream, CRC-32 and length.
    static func gzipMember(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        scratchPool.withWriter(level: 1) { gzipMember(input, scratch: $0) }
    }

    /// Compresses bytes into one gzip member with the given working memory.
    /// - Parameters:
    ///   - input: The bytes to compress; at most ``largestInput``.
    ///   - scratch: Working memory no other compression uses meanwhile.
    /// - Returns: The member: header, deflate stream, CRC-32 and length.
    static func gzipMember(_ input: UnsafeRawBufferPointer, scratch: DeflateScratch) -> [UInt8] {
        precondition(input.count <= largestInput, "input too large for the greedy deflater")
        let blocks = input.count / blockInputBytes + 1
        // Each block costs at most its stored form: 3 header bits, up to 7 bits of padding, 4 bytes of lengths.
        let capacity = 10 + input.count + blocks * 6 + 8 + 8
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            let base = buffer.baseAddress!
            let header: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 4, 3]
            for (offset, byte) in header.enumerated() { base[offset] = byte }
            var writer = DeflateBitWriter(base: base, capacity: capacity, offset: header.count)
            DeflateBlockEncoder(input: input, scratch: scratch).encode(into: &writer)
            writer.alignToByte()
            writer.put(CRC32.update(0, input), count: 32)
            writer.put(UInt32(truncatingIfNeeded: input.count), count: 32)
            count = writer.byteCount
        }
    }
}
