import Codecs

/// Compresses page bodies with the file's codec, reusing one compression context for every page.
final class PageCompressor {
    /// The codec's `CompressionCodec` value in the footer: UNCOMPRESSED 0, GZIP 2, ZSTD 6.
    let codec: Int32
    /// The gzip writer, for GZIP.
    private let gzip: GzipWriter?
    /// The zstd writer, for ZSTD.
    private let zstd: ZstdWriter?

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

    /// Compresses one page body (one gzip member or one zstd frame per page).
    /// - Parameter body: The uncompressed body.
    /// - Returns: The compressed body, or `body` itself when uncompressed.
    func compress(_ body: [UInt8]) -> [UInt8] {
        if let zstd { return zstd.compress(body) }
        if let gzip {
            gzip.append(body)
            return gzip.finish()
        }
        return body
    }
}
