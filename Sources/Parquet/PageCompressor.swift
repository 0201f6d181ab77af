import Codecs

/// Compresses page bodies with the file's codec, reusing one compression context for every page.
final class PageCompressor {
    /// The codec's `CompressionCodec` value in the footer: UNCOMPRESSED 0, GZIP 2, ZSTD 6.
    let codec: Int32
    /// The gzip writer, for GZIP.
    private let gzip: GzipWriter?
    /// The zstd writer, for ZSTD.
    private let zstd: ZstdWriter?
    /// The output buffer reused for every zstd page.
    private var scratch: [UInt8] = []

    /// Creates a compressor.
    /// - Parameter compression: The codec and level.
    init(_ compression: ParquetCompression) {
        switch compression {
        case .uncompressed:
            codec = 0
            gzip = nil
            zstd = nil
        case .gzip(let level):
            codec = 2
            gzip = GzipWriter(level: level)
            zstd = nil
        case .zstd(let level):
            codec = 6
            gzip = nil
            zstd = ZstdWriter(level: level)
        }
    }

    /// Compresses one page body (one gzip member or one zstd frame per page) and lends the result.
    /// - Parameters:
    ///   - body: The uncompressed body.
    ///   - use: Called with the compressed body (the body itself when uncompressed), valid only during the call.
    /// - Returns: What `use` returns.
    func withCompressed<Result>(_ body: [UInt8], _ use: (UnsafeRawBufferPointer) -> Result) -> Result {
        if let zstd {
            let bound = ZstdWriter.compressBound(body.count)
            if scratch.count < bound { scratch = [UInt8](repeating: 0, count: bound) }
            return scratch.withUnsafeMutableBytes { output in
                let written = body.withUnsafeBytes { input in zstd.compress(input, into: output) }
                precondition(written != nil, "a zstd frame outgrew ZSTD_compressBound")
                return use(UnsafeRawBufferPointer(rebasing: output[0..<(written ?? 0)]))
            }
        }
        if let gzip {
            gzip.append(body)
            return gzip.finish().withUnsafeBytes(use)
        }
        return body.withUnsafeBytes(use)
    }
}
