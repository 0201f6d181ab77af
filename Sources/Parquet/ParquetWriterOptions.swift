/// How ``ParquetFileWriter`` lays out and compresses a file.
public struct ParquetWriterOptions: Sendable {
    /// The `created_by` string written when none is given, in the `<application> version <version>` form that
    /// parquet-java parses.
    public static let defaultCreatedBy = "lakemark version 0.1.0"

    /// The page codec. Default: `.zstd(level: 3)`.
    public var compression: ParquetCompression
    /// The largest uncompressed size of a data page body, in bytes; also the largest dictionary, in bytes, before a
    /// column chunk falls back to PLAIN. Pages end at row boundaries, so only a single row whose values for one
    /// column exceed this makes a larger page. Values below 1 KiB are raised to 1 KiB. Default: 1 MiB.
    public var dataPageSize: Int
    /// The size, in bytes, at which a row group is closed and a new one started (compressed pages plus the
    /// uncompressed pages still being filled). Values below 1 KiB are raised to 1 KiB. Default: 128 MiB.
    public var rowGroupSize: Int
    /// Whether BYTE_ARRAY columns are dictionary-encoded (PLAIN_DICTIONARY) until their dictionary outgrows
    /// ``dataPageSize``; other columns are always PLAIN. Default: `true`.
    public var dictionary: Bool
    /// Key-value pairs written in the file footer, in this order. Default: none.
    public var keyValueMetadata: [(String, String)]
    /// The `created_by` footer field. Default: ``defaultCreatedBy``.
    public var createdBy: String

    /// Creates the default options: zstd level 3, 1 MiB pages, 128 MiB row groups, dictionary on, no key-value
    /// metadata, ``defaultCreatedBy``.
    public init() {
        compression = .zstd(level: 3)
        dataPageSize = 1 << 20
        rowGroupSize = 128 << 20
        dictionary = true
        keyValueMetadata = []
        createdBy = Self.defaultCreatedBy
    }
}
