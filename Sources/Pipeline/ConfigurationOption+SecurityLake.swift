extension ConfigurationOption {
    /// The output format and Security Lake options, spliced into ``all`` after `source_name`.
    static let securityLakeOptions: [ConfigurationOption] = [
        .init(
            "format",
            ["LAKEMARK_FORMAT"],
            "ndjson-gzip",
            "ndjson-gzip, ndjson-zstd, parquet",
            "Output: gzip or zstd NDJSON of the enriched events, or Security Lake OCSF Parquet (one class per object)."
        ) {
            let text = try string($1, key: "format")
            guard let format = OutputFormat(rawValue: text) else {
                throw ConfigurationError(.invalidValue, key: "format", "ndjson-gzip, ndjson-zstd or parquet")
            }
            $0.format = format
        },
        .init(
            "security_lake_locations",
            ["LAKEMARK_SECURITY_LAKE_LOCATIONS"],
            "(ext/lakemark-<class_uid>/1.0/)",
            "comma-separated <class_uid>=<location>",
            "Custom source location per OCSF class, as CreateCustomLogSource returns it "
                + "(2004=s3://<lake bucket>/ext/<source>/1.0/); its bucket must be the sink's, each class given once."
        ) {
            var locations: [Int: String] = [:]
            for entry in try list($1, key: "security_lake_locations") {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let uid = Int(parts[0]), (1_000...99_999).contains(uid),
                    isSafePrefix(SecurityLakeSettings.keyPrefix(parts[1]))
                else {
                    throw ConfigurationError(
                        .invalidValue,
                        key: "security_lake_locations",
                        "expected <class_uid>=s3://bucket/ext/<source>/<version>/ entries"
                    )
                }
                guard locations.updateValue(parts[1], forKey: uid) == nil else {
                    throw ConfigurationError(
                        .invalidValue, key: "security_lake_locations", "class \(uid) is given twice")
                }
            }
            $0.securityLake.locations = locations
        },
        .init(
            "security_lake_roles",
            ["LAKEMARK_SECURITY_LAKE_ROLES"],
            "(none: s3_role_arn or the default credentials)",
            "comma-separated <class_uid>=<role ARN>",
            "Provider role per OCSF class (each custom source has its own, AmazonSecurityLake-Provider-<source>-"
                + "<region>), assumed with s3_role_external_id to write that class's objects; the raw location "
                + "keeps s3_role_arn or the default credentials."
        ) {
            var roles: [Int: String] = [:]
            for entry in try list($1, key: "security_lake_roles") {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let uid = Int(parts[0]), (1_000...99_999).contains(uid),
                    isRoleARN(parts[1])
                else {
                    throw ConfigurationError(
                        .invalidValue,
                        key: "security_lake_roles",
                        "expected <class_uid>=arn:aws:iam::<12-digit account>:role/<name> entries, got '\(entry)'"
                    )
                }
                guard roles.updateValue(parts[1], forKey: uid) == nil else {
                    throw ConfigurationError(.invalidValue, key: "security_lake_roles", "class \(uid) is given twice")
                }
            }
            $0.securityLake.roles = roles
        },
        .init(
            "security_lake_region",
            ["LAKEMARK_SECURITY_LAKE_REGION"],
            "(event's cloud.region)",
            "AWS region",
            "The region= partition: the Security Lake bucket's region."
        ) {
            let region = try string($1, key: "security_lake_region")
            guard ObjectKeyBuilder.isSafeSegment(region), isRegionName(region) else {
                throw ConfigurationError(
                    .invalidValue,
                    key: "security_lake_region",
                    "expected a region name such as us-east-1, got '\(region)'"
                )
            }
            $0.securityLake.region = region
        },
        .init(
            "raw_location",
            ["LAKEMARK_RAW_LOCATION"],
            "raw/",
            "key prefix",
            "Where parquet mode writes events with no OCSF mapping or failing validation (gzip NDJSON with a reason)."
        ) {
            let prefix = SecurityLakeSettings.keyPrefix(try string($1, key: "raw_location"))
            guard isSafePrefix(prefix) else {
                throw ConfigurationError(.invalidValue, key: "raw_location", "expected a key prefix such as raw/")
            }
            $0.securityLake.rawLocation = prefix
        },
        .init(
            "spool_dir",
            ["LAKEMARK_SPOOL_DIR"],
            "(none: direct mode)",
            "directory",
            "Parquet mode: durable write-ahead spool; partitions are flushed by age or size instead of per request."
        ) {
            let path = try string($1, key: "spool_dir")
            guard !path.isEmpty else { throw ConfigurationError(.invalidValue, key: "spool_dir", "expected a path") }
            $0.securityLake.spoolDirectory = path
        },
        .init(
            "spool_max_age_seconds",
            ["LAKEMARK_SPOOL_MAX_AGE_SECONDS"],
            "300",
            "seconds (1-86400; 300-900 recommended)",
            "A spooled partition is flushed once its oldest event is this old."
        ) {
            $0.securityLake.spoolMaxAgeSeconds = try double($1, key: "spool_max_age_seconds", in: 1...86_400)
        },
        .init(
            "spool_max_bytes",
            ["LAKEMARK_SPOOL_MAX_BYTES"],
            "67108864",
            "bytes (1 KiB-1 GiB)",
            "A spooled partition is flushed early once it holds this many bytes."
        ) {
            $0.securityLake.spoolMaxBytes = try int($1, key: "spool_max_bytes", in: 1_024...1 << 30)
        },
        .init(
            "parquet_zstd_level",
            ["LAKEMARK_PARQUET_ZSTD_LEVEL"],
            "3",
            "1-19",
            "zstd level of Parquet pages."
        ) {
            $0.securityLake.zstdLevel = try int($1, key: "parquet_zstd_level", in: 1...19)
        },
    ]

    /// Whether a text is an IAM role ARN: `arn:<partition>:iam::<12 digits>:role/<path/><name>`, the name 1–64
    /// characters of `[A-Za-z0-9+=.@_-]` (commas are not accepted: options separate entries with them).
    static func isRoleARN(_ text: String) -> Bool {
        let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn", !fields[1].isEmpty, fields[2] == "iam", fields[3].isEmpty,
            fields[4].count == 12, fields[4].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            fields[5].hasPrefix("role/")
        else { return false }
        let name = fields[5].split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        let allowed = Set("+=.@_-".utf8)
        return (1...64).contains(name.utf8.count)
            && fields[5].utf8.allSatisfy { isAlphanumeric($0) || allowed.contains($0) || $0 == UInt8(ascii: "/") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// Whether a text is shaped like an AWS region name: lower-case words joined by `-`, ending in a number
    /// (`us-east-1`, `us-gov-west-1`, `ap-southeast-3`).
    static func isRegionName(_ text: String) -> Bool {
        let words = text.split(separator: "-", omittingEmptySubsequences: false)
        guard words.count >= 3, let number = words.last, (1...2).contains(number.count),
            number.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else { return false }
        return words.dropLast().allSatisfy { word in
            !word.isEmpty && word.utf8.allSatisfy { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        }
    }

    /// Whether a key prefix is relative, has no `.`/`..` segments and no control characters.
    static func isSafePrefix(_ prefix: String) -> Bool {
        !prefix.hasPrefix("/")
            && !prefix.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == "." || $0 == ".." }
            && !prefix.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }
}
