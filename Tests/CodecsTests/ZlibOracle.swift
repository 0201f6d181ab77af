import CZlib

/// zlib's own inflate and deflate, independent of Lakemark's decoder: the oracle the decoder's tests compare with.
enum ZlibOracle {
    /// Every member of a gzip stream inflated by zlib (its gzip wrapper checks headers, CRC-32 and lengths), or
    /// `nil` when zlib refuses the stream, it is truncated, or bytes follow a member without starting another.
    static func inflate(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 2 else { return nil }
        return run(bytes, windowBits: 15 + 16) { stream, input in
            // After a member: the end, or the next member's magic.
            let rest = Int(stream.avail_in)
            if rest == 0 { return true }
            let next = input.count - rest
            guard rest >= 2, input[next] == 0x1F, input[next + 1] == 0x8B else { return nil }
            inflateReset(&stream)
            return false
        }.map { $0.output }
    }

    /// Raw deflate data inflated by zlib, with how many input bytes the data took; `nil` when zlib refuses it or it
    /// is truncated.
    static func inflateRaw(_ bytes: [UInt8]) -> (output: [UInt8], consumed: Int)? {
        run(bytes, windowBits: -15) { _, _ in true }
    }

    /// Inflates `bytes` with zlib; at each stream end `atEnd` says whether to stop (`true`), go on (`false`, after
    /// resetting the stream) or fail (`nil`).
    private static func run(
        _ bytes: [UInt8],
        windowBits: Int32,
        atEnd: (inout z_stream, UnsafeMutableBufferPointer<UInt8>) -> Bool?
    ) -> (output: [UInt8], consumed: Int)? {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = bytes + [0]  // a spare byte, so that empty input still has an address
        return input.withUnsafeMutableBufferPointer { buffer -> (output: [UInt8], consumed: Int)? in
            let input = UnsafeMutableBufferPointer(rebasing: buffer[0..<bytes.count])
            stream.next_in = buffer.baseAddress
            stream.avail_in = UInt32(bytes.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { chunk -> Int32 in
                    stream.next_out = chunk.baseAddress
                    stream.avail_out = UInt32(chunk.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                    return status
                }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    guard let stop = atEnd(&stream, input) else { return nil }
                    if stop { return (output, bytes.count - Int(stream.avail_in)) }
                case Z_BUF_ERROR where stream.avail_in > 0:
                    continue
                default:
                    return nil
                }
            }
        }
    }

    /// A gzip member written by zlib with a given level and strategy (`Z_DEFAULT_STRATEGY`, `Z_FILTERED`,
    /// `Z_HUFFMAN_ONLY`, `Z_RLE`, `Z_FIXED`).
    static func deflate(_ bytes: [UInt8], level: Int32, strategy: Int32) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, strategy, zlibVersion(),
                                   Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
        var input = bytes
        let written = input.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = input.baseAddress
                stream.avail_in = UInt32(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                precondition(CZlib.deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return out.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<written])
    }
}
