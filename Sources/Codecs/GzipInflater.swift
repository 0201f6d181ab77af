import CZlib

/// One decompression of ``Gzip/inflate(_:limit:)``: zlib's raw deflate stream over each member's data, run one call
/// at a time into whatever output window the caller gives (the result's own memory first, a scratch buffer after).
/// The gzip framing — each member's header, its CRC-32 and length trailer — is checked here, the CRC-32 by
/// ``CRC32`` (carry-less multiplication, about three times zlib's own, which was a third of the inflate's time).
///
/// Each ``step(into:space:)`` feeds zlib, runs one `inflate` call and reports the bytes it wrote; ``settle()`` then
/// judges the call's status (a new member, the end, or an error), so the caller can check its size limit on those
/// bytes before any error of the same call is reported, as zlib produced them. Copies share the stream: use one.
struct GzipInflater {
    /// The zlib stream.
    private let stream: ZStream
    /// The input.
    private let input: UnsafePointer<UInt8>
    /// The input's size.
    private let inputCount: Int
    /// Input bytes handed to zlib so far.
    private var fed = 0
    /// The status of the last `inflate` call and the bytes it wrote.
    private var last: (status: Int32, produced: Int) = (Z_OK, 0)
    /// Whether the last member ended exactly at the input's end.
    private(set) var isFinished = false
    /// Bytes decompressed so far, all members.
    private(set) var produced = 0
    /// The CRC-32 of the current member's output so far.
    private var memberCRC: UInt32 = 0
    /// The current member's output so far.
    private var memberSize = 0

    /// Starts a decompression.
    /// - Parameter bytes: The gzip stream; it must stay valid while the inflater is used.
    /// - Throws: ``GzipError`` `.notGzip` without the magic, `.truncated` or `.corrupt` for a bad first header,
    ///   `.outOfMemory` when zlib cannot start.
    init(_ bytes: UnsafeRawBufferPointer) throws(GzipError) {
        guard Gzip.isGzip(bytes) else { throw GzipError(code: .notGzip, inputOffset: 0) }
        input = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        inputCount = bytes.count
        fed = try GzipMemberHeader.skip(input, count: inputCount, from: 0)
        guard let stream = ZStream.makeInflater() else { throw GzipError(code: .outOfMemory, inputOffset: 0) }
        self.stream = stream
    }

    /// Input bytes zlib has consumed.
    var consumed: Int { fed - Int(stream.pointer.pointee.avail_in) }

    /// Runs one `inflate` call writing at most `space` bytes at `output`.
    /// - Returns: The bytes written.
    mutating func step(into output: UnsafeMutablePointer<UInt8>, space: Int) -> Int {
        let z = stream.pointer
        if z.pointee.avail_in == 0 && fed < inputCount {
            let chunk = min(inputCount - fed, Gzip.maximumChunk)
            z.pointee.next_in = UnsafeMutablePointer(mutating: input + fed)
            z.pointee.avail_in = UInt32(chunk)
            fed += chunk
        }
        let window = min(space, Gzip.maximumChunk)
        z.pointee.next_out = output
        z.pointee.avail_out = UInt32(window)
        let status = CZlib.inflate(z, Z_NO_FLUSH)
        last = (status, window - Int(z.pointee.avail_out))
        produced += last.produced
        memberSize += last.produced
        memberCRC = CRC32.update(memberCRC, output, count: last.produced)
        return last.produced
    }

    /// Judges the last call: continues, starts the next member, finishes, or throws.
    /// - Throws: ``GzipError`` as documented on ``Gzip``.
    mutating func settle() throws(GzipError) {
        let consumed = consumed
        switch last.status {
        case Z_OK:
            return
        case Z_STREAM_END:
            let next = try checkTrailer(at: consumed)
            let remaining = inputCount - next
            if remaining == 0 {
                isFinished = true
                return
            }
            if remaining >= 2 && input[next] == 0x1F && input[next + 1] == 0x8B {
                fed = try GzipMemberHeader.skip(input, count: inputCount, from: next)
                stream.pointer.pointee.avail_in = 0
                inflateReset(stream.pointer)
                (memberCRC, memberSize) = (0, 0)
                return
            }
            let code: GzipError.Code = remaining == 1 && input[next] == 0x1F ? .truncated : .trailingGarbage
            throw GzipError(code: code, inputOffset: next, outputCount: produced)
        case Z_BUF_ERROR where last.produced > 0:
            return
        case Z_BUF_ERROR where consumed == inputCount:
            throw GzipError(code: .truncated, inputOffset: consumed, outputCount: produced)
        case Z_DATA_ERROR:
            throw GzipError(code: .corrupt, inputOffset: consumed, detail: stream.message, outputCount: produced)
        case Z_MEM_ERROR:
            throw GzipError(code: .outOfMemory, inputOffset: consumed, outputCount: produced)
        default:
            throw GzipError(
                code: .internalFailure,
                inputOffset: consumed,
                detail: stream.message,
                outputCount: produced
            )
        }
    }

    /// Checks the member trailer at `offset` against the output: CRC-32, then length modulo 2^32.
    /// - Returns: The offset just past the trailer.
    private func checkTrailer(at offset: Int) throws(GzipError) -> Int {
        guard inputCount - offset >= 8 else {
            throw GzipError(code: .truncated, inputOffset: inputCount, outputCount: produced)
        }
        guard littleEndianWord(at: offset) == memberCRC else {
            throw GzipError(
                code: .checksumMismatch,
                inputOffset: offset + 4,
                detail: "incorrect data check",
                outputCount: produced
            )
        }
        guard littleEndianWord(at: offset + 4) == UInt32(truncatingIfNeeded: memberSize) else {
            throw GzipError(
                code: .checksumMismatch,
                inputOffset: offset + 8,
                detail: "incorrect length check",
                outputCount: produced
            )
        }
        return offset + 8
    }

    /// The four input bytes at `offset` as a little-endian integer.
    private func littleEndianWord(at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { word, index in word | UInt32(input[offset + index]) << (8 * index) }
    }
}
