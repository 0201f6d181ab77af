import CZlib

/// One decompression of ``Gzip/inflate(_:limit:)``: zlib's stream over the whole input, run one call at a time
/// into whatever output window the caller gives (the result's own memory first, a scratch buffer after).
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

    /// Starts a decompression.
    /// - Parameter bytes: The gzip stream; it must stay valid while the inflater is used.
    /// - Throws: ``GzipError`` `.notGzip` without the magic, `.outOfMemory` when zlib cannot start.
    init(_ bytes: UnsafeRawBufferPointer) throws(GzipError) {
        guard Gzip.isGzip(bytes) else { throw GzipError(code: .notGzip, inputOffset: 0) }
        guard let stream = ZStream.makeInflater() else { throw GzipError(code: .outOfMemory, inputOffset: 0) }
        self.stream = stream
        input = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        inputCount = bytes.count
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
            let remaining = inputCount - consumed
            if remaining == 0 {
                isFinished = true
                return
            }
            if remaining >= 2 && input[consumed] == 0x1F && input[consumed + 1] == 0x8B {
                inflateReset(stream.pointer)
                return
            }
            let code: GzipError.Code = remaining == 1 && input[consumed] == 0x1F ? .truncated : .trailingGarbage
            throw GzipError(code: code, inputOffset: consumed, outputCount: produced)
        case Z_BUF_ERROR where last.produced > 0:
            return
        case Z_BUF_ERROR where consumed == inputCount:
            throw GzipError(code: .truncated, inputOffset: consumed, outputCount: produced)
        case Z_DATA_ERROR:
            let detail = stream.message
            let isTrailer = detail == "incorrect data check" || detail == "incorrect length check"
            throw GzipError(
                code: isTrailer ? .checksumMismatch : .corrupt,
                inputOffset: consumed,
                detail: detail,
                outputCount: produced
            )
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
}
