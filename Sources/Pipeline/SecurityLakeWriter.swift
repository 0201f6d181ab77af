import JSONBytes
import OCSF
import Parquet
import ServiceSupport

/// Turns events into Security Lake records: converts them to OCSF, validates them against the pinned class
/// schema, and writes the records of one partition as one Parquet object (rows sorted by `time`, zstd).
/// Events with no OCSF mapping, or that fail validation, are routed to the raw location with a reason.
public final class SecurityLakeWriter: Sendable {
    /// Where one input event goes.
    enum Routed {
        /// A valid record of its class, its OCSF event and the enrichment it was given.
        case record(OCSFRecord, event: [UInt8], enrichment: OCSFEnrichment?)
        /// The raw location, with the reason (`no_mapping.<kind>`, `invalid.<code>.<path>`).
        case raw(reason: String)
    }

    /// The locations, region and spool settings.
    public let settings: SecurityLakeSettings
    /// The converter from raw sources.
    let converter = OCSFConverter()
    /// Validation and shredding per class.
    let shredders: [Int: OCSFShredder]
    /// The Parquet schema per class, built once.
    let parquetSchemas: [Int: ParquetSchema]
    /// The S3 sink's own key prefix, removed from the class locations (the sink adds it back); empty otherwise.
    let sinkPrefix: String

    /// Creates a writer with the bundled OCSF schemas.
    /// - Parameters:
    ///   - settings: the Security Lake settings.
    ///   - sinkPrefix: the prefix of an `s3://bucket/prefix` sink, which every class location must start with.
    ///     Default: none.
    /// - Throws: ``ConfigurationError`` when a location is outside the sink's prefix; ``OCSFError`` or
    ///   ``ParquetError`` when a bundled schema cannot be loaded (a build defect).
    public init(settings: SecurityLakeSettings, sinkPrefix: String = "") throws {
        self.settings = settings
        self.sinkPrefix = sinkPrefix
        for uid in settings.locations.keys where settings.keyPrefix(classUID: uid, under: sinkPrefix) == nil {
            throw ConfigurationError(
                .invalidValue,
                key: "security_lake_locations",
                "the location of \(uid) is not under the sink's prefix \(sinkPrefix)"
            )
        }
        let catalog = try OCSFSchemaCatalog.bundled()
        let classes = catalog.schemas.keys.sorted().map(String.init).joined(separator: ", ")
        let named = [("security_lake_locations", settings.locations.keys), ("security_lake_roles", settings.roles.keys)]
        for (key, uids) in named {
            if let unknown = uids.sorted().first(where: { catalog.schemas[$0] == nil }) {
                throw ConfigurationError(
                    .invalidValue,
                    key: key,
                    "class \(unknown) is not one this build writes (\(classes))"
                )
            }
        }
        var shredders: [Int: OCSFShredder] = [:]
        var schemas: [Int: ParquetSchema] = [:]
        for (uid, schema) in catalog.schemas {
            shredders[uid] = OCSFShredder(schema: schema)
            schemas[uid] = try OCSFParquet.schema(schema)
        }
        self.shredders = shredders
        self.parquetSchemas = schemas
    }

    /// Converts and validates one event.
    /// - Parameters:
    ///   - tape: the input event.
    ///   - enrichment: builds the event's compliance enrichment from the OCSF attribute holding its text.
    /// - Returns: one routing per converted record (or one raw routing).
    func route(_ tape: JSONTape, enrichment: (String) -> OCSFEnrichment?) -> [Routed] {
        converter.convert(tape).map { conversion in
            switch conversion {
            case .unmapped(let reason):
                return .raw(reason: reason)
            case .ocsf(let event, let textAttribute):
                return validate(event, enrichment: enrichment(textAttribute))
            }
        }
    }

    /// Validates and shreds one OCSF event.
    /// - Parameters:
    ///   - event: the OCSF event.
    ///   - enrichment: its compliance enrichment.
    /// - Returns: the record, or the raw routing with the validation failure.
    func validate(_ event: JSONTape, enrichment: OCSFEnrichment?) -> Routed {
        let uid = event.value(forKey: "class_uid", in: event.rootIndex).flatMap(event.int64) ?? 0
        guard let shredder = shredders[Int(uid)] else { return .raw(reason: "invalid.unknown_class.\(uid)") }
        do {
            let record = try shredder.shred(event, enrichment: enrichment)
            return .record(record, event: event.source, enrichment: enrichment)
        } catch {
            return .raw(reason: "invalid.\(error.code).\(error.path)")
        }
    }

    /// The partition of a record.
    /// - Parameter record: the record.
    /// - Returns: its partition (the configured lake region, else the record's).
    func partition(_ record: OCSFRecord) -> SecurityLakePartition {
        SecurityLakePartition(
            classUID: record.classUID,
            region: settings.region ?? record.region,
            accountID: record.accountID,
            timeMillis: record.timeMillis
        )
    }

    /// One Parquet object of records of one class, sorted by `time` (stable).
    /// - Parameters:
    ///   - classUID: the class.
    ///   - records: the records.
    /// - Returns: the file.
    /// - Throws: ``ParquetError`` when a record does not fit the schema (a defect: records were validated).
    func parquet(classUID: Int, records: [OCSFRecord]) throws(ParquetError) -> [UInt8] {
        guard let schema = parquetSchemas[classUID] else {
            throw ParquetError(code: .invalidSchema, message: "no schema for class \(classUID)")
        }
        var options = ParquetWriterOptions()
        options.compression = .zstd(level: settings.zstdLevel)
        options.keyValueMetadata = [("ocsf.version", OCSFConverter.ocsfVersion), ("ocsf.class_uid", "\(classUID)")]
        let writer = ParquetFileWriter(schema: schema, options: options)
        let order = records.indices.sorted { (records[$0].timeMillis, $0) < (records[$1].timeMillis, $1) }
        for index in order {
            try writer.append(row: records[index].values.map(OCSFParquet.value))
        }
        return try writer.finish()
    }

    /// The key of a partition's object.
    /// - Parameters:
    ///   - partition: the partition.
    ///   - name: the object name, without extension.
    /// - Returns: `<class location>region=…/accountId=…/eventDay=…/<name>.parquet`.
    func key(_ partition: SecurityLakePartition, name: String) -> String {
        let prefix = settings.keyPrefix(classUID: partition.classUID, under: sinkPrefix)
        return partition.key(prefix: prefix ?? settings.keyPrefix(classUID: partition.classUID), name: name)
    }
}
