/// How batches are written (`LAKEMARK_FORMAT`).
public enum OutputFormat: String, Sendable, Hashable, CaseIterable {
    /// gzip NDJSON of the original events with `secberus_compliance` spliced in (the default).
    case ndjsonGzip = "ndjson-gzip"
    /// The same NDJSON, zstd-compressed (`.json.zst`).
    case ndjsonZstd = "ndjson-zstd"
    /// Security Lake: OCSF Parquet (zstd), one class per object, under each class's custom source location.
    case parquet
}
