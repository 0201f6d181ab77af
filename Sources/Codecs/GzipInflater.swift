/// One decompression of ``Gzip/inflate(_:limit:)``: the gzip framing of each member (its header, CRC-32 and length
/// trailer) checked here, its deflate data decoded by ``DeflateDecoder``, member after member, into whatever output
/// buffer the caller gives, which holds everything decoded so far at the same offsets. Public so that a caller can
/// decode a body a slice at a time and read each slice while the next is decoded.
public struct GzipInflater {
    /// The input.
    private let input: UnsafePointer<UInt8>
    /// The input's size.
    private let inputCount: Int
    /// The decoder, reused member after member.
    private let decoder: DeflateDecoder
    /// Whether the last member ended exactly at the input's end.
    public private(set) var isFinished = false

    /// The input offset decoding has reached.
    public var consumed: Int { decoder.consumed }

    /// Starts a decompression.
    /// - Parameter bytes: The gzip stream; it must stay valid while the inflater is used.
    /// - Throws: ``GzipError`` `.notGzip` without the magic, `.truncated` or `.corrupt` for a bad first header.
    public init(_ bytes: UnsafeRawBufferPointer) throws(GzipError) {
        guard Gzip.isGzip(bytes) else { throw GzipError(code: .notGzip, inputOffset: 0) }
        input = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        inputCount = bytes.count
        let start = try GzipMemberHeader.skip(input, count: inputCount, from: 0)
        decoder = DeflateDecoder(input: input, count: inputCount, start: start, historyStart: 0)
    }

    /// Decodes into `output` until the last member ends (``isFinished``) or the output is full.
    /// - Parameters:
    ///   - output: The output buffer; `output[0..<written]` holds what earlier calls decoded (the same buffer, or a
    ///     copy of it, at every call).
    ///   - capacity: How much of the buffer this call may fill: its size, or less to stop sooner.
    ///   - written: The bytes of `output` in use; advanced past what this call decodes.
    /// - Throws: ``GzipError`` as documented on ``Gzip``.
    public mutating func run(
        into output: UnsafeMutablePointer<UInt8>,
        capacity: Int,
        written: inout Int
    ) throws(GzipError) {
        while !isFinished {
            guard try decoder.decode(into: output, capacity: capacity, written: &written) == .finished else { return }
            let memberStart = decoder.historyStart
            let crc = CRC32.update(0, output + memberStart, count: written - memberStart)
            let next = try checkTrailer(at: decoder.consumed, crc: crc, size: written - memberStart, written: written)
            let remaining = inputCount - next
            if remaining == 0 {
                isFinished = true
                return
            }
            if remaining >= 2 && input[next] == 0x1F && input[next + 1] == 0x8B {
                let start = try GzipMemberHeader.skip(input, count: inputCount, from: next)
                decoder.startMember(at: start, historyStart: written)
                continue
            }
            let code: GzipError.Code = remaining == 1 && input[next] == 0x1F ? .truncated : .trailingGarbage
            throw GzipError(code: code, inputOffset: next, outputCount: written)
        }
    }

    /// Checks the member trailer at `offset` against the member's output: CRC-32, then length modulo 2^32.
    /// - Returns: The offset just past the trailer.
    private func checkTrailer(at offset: Int, crc: UInt32, size: Int, written: Int) throws(GzipError) -> Int {
        guard inputCount - offset >= 8 else {
            throw GzipError(code: .truncated, inputOffset: inputCount, outputCount: written)
        }
        guard littleEndianWord(at: offset) == crc else {
            throw GzipError(
                code: .checksumMismatch,
                inputOffset: offset + 4,
                detail: "incorrect data check",
                outputCount: written
            )
        }
        guard littleEndianWord(at: offset + 4) == UInt32(truncatingIfNeeded: size) else {
            throw GzipError(
                code: .checksumMismatch,
                inputOffset: offset + 8,
                detail: "incorrect length check",
                outputCount: written
            )
        }
        return offset + 8
    }

    /// The four input bytes at `offset` as a little-endian integer.
    private func littleEndianWord(at offset: Int) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(input + offset).loadUnaligned(as: UInt32.self))
    }
}
