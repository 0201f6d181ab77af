/// The codec applied to every page body (page headers are never compressed).
public enum ParquetCompression: Sendable, Hashable {
    /// No compression (`UNCOMPRESSED`).
    case uncompressed
    /// One RFC 1952 gzip member per page (`GZIP`), at a zlib level from 0 (store) to 9 (smallest); clamped.
    case gzip(level: Int)
    /// One RFC 8878 frame per page (`ZSTD`), at a zstd level from 1 to 19 (negative levels are faster); clamped to
    /// what libzstd supports.
    case zstd(level: Int)
}
