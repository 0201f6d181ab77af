/// Where and how `parquet` output is written (the `security_lake_*` and `spool_*` options).
public struct SecurityLakeSettings: Sendable, Hashable {
    /// The custom source location of each OCSF class, as `CreateCustomLogSource` returns it
    /// (`s3://<lake bucket>/ext/<source>/<version>/`) or as a key prefix (`ext/<source>/<version>/`).
    /// Classes not listed use `ext/lakemark-<class_uid>/1.0/`. Default: none.
    public var locations: [Int: String] = [:]
    /// The provider role of each OCSF class's custom source (`AmazonSecurityLake-Provider-<source>-<region>`),
    /// assumed with `s3_role_external_id` to write that class's objects. Classes not listed, and the raw
    /// location, are written with the default credentials (or `s3_role_arn`). Default: none.
    public var roles: [Int: String] = [:]
    /// Key prefix of events that have no OCSF mapping or fail validation (gzip NDJSON, with the reason in
    /// `lakemark_raw_reason`); kept outside every source location. Default: `raw/`.
    public var rawLocation = "raw/"
    /// The `region=` partition: the Security Lake bucket's region. Default: none (the event's `cloud.region`).
    public var region: String?
    /// The spool directory; `nil` writes each request's objects directly (direct mode). Default: none.
    public var spoolDirectory: String?
    /// Age after which a spooled partition is flushed, in seconds (60–86,400). Default: 300.
    public var spoolMaxAgeSeconds = 300.0
    /// Spooled bytes after which a partition is flushed early, in bytes. Default: 67,108,864 (64 MiB).
    public var spoolMaxBytes = 64 << 20
    /// zstd level of the Parquet pages (1–19). Default: 3.
    public var zstdLevel = 3

    /// The defaults.
    public init() {}

    /// The key prefix of a class: its configured location without `s3://bucket/` (and ending in `/`).
    /// - Parameter classUID: the OCSF class id.
    /// - Returns: e.g. `ext/secberus-2004/1.0/`.
    public func keyPrefix(classUID: Int) -> String {
        guard let location = locations[classUID] else { return "ext/lakemark-\(classUID)/1.0/" }
        return Self.keyPrefix(location)
    }

    /// The key prefix of a class relative to an S3 sink's own prefix (the sink adds it back).
    /// - Parameters:
    ///   - classUID: the OCSF class id.
    ///   - sinkPrefix: the sink's prefix (`s3://bucket/<prefix>`), possibly empty.
    /// - Returns: the relative prefix, or `nil` when the location is not under the sink's prefix.
    public func keyPrefix(classUID: Int, under sinkPrefix: String) -> String? {
        let prefix = keyPrefix(classUID: classUID)
        let base = Self.keyPrefix(sinkPrefix)
        guard prefix.hasPrefix(base) else { return nil }
        return String(prefix.dropFirst(base.count))
    }

    /// A location without its `s3://bucket/` part, ending in `/`.
    /// - Parameter location: `s3://bucket/path/` or `path/`.
    /// - Returns: `path/`.
    public static func keyPrefix(_ location: String) -> String {
        var path = Substring(location)
        if path.hasPrefix("s3://") {
            path = path.dropFirst(5)
            path = path.firstIndex(of: "/").map { path[path.index(after: $0)...] } ?? ""
        }
        while path.hasPrefix("/") { path = path.dropFirst() }
        return path.isEmpty || path.hasSuffix("/") ? String(path) : String(path) + "/"
    }

    /// The bucket of an `s3://` location, else `nil`.
    /// - Parameter location: the location.
    /// - Returns: the bucket name.
    public static func bucket(_ location: String) -> String? {
        guard location.hasPrefix("s3://") else { return nil }
        return location.dropFirst(5).split(separator: "/", maxSplits: 1).first.map(String.init)
    }
}
