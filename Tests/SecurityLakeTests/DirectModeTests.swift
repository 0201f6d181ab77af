import Codecs
import Foundation
import JSONBytes
import Pipeline
import ServiceSupport
import Testing

/// `format` = `parquet` without a spool: each request's records become Parquet objects under their class's
/// source location, read back with pyarrow and DuckDB.
@Suite(.serialized) struct DirectModeTests {
    static let locations = [
        2003: "s3://aws-security-data-lake-eu-west-1-abc/ext/secberus-2003/1.0/",
        2004: "s3://aws-security-data-lake-eu-west-1-abc/ext/secberus-2004/1.0/",
        6003: "s3://aws-security-data-lake-eu-west-1-abc/ext/secberus-6003/1.0/",
    ]

    static func startService(sink: URL, _ adjust: (inout Configuration) -> Void = { _ in }) throws -> Service {
        var configuration = Configuration()
        configuration.listenHost = "127.0.0.1"
        configuration.listenPort = 0
        configuration.sink = .directory(sink.path)
        configuration.format = .parquet
        configuration.securityLake.locations = locations
        configuration.securityLake.region = "eu-west-1"
        configuration.frameworks = ["nist_800_53_r5", "pci_dss_v4"]
        adjust(&configuration)
        let service = try Service(configuration: configuration, logger: Logger(label: "test", level: .error))
        try service.start()
        return service
    }

    /// The `eventID`s of the CloudTrail events of a sample.
    static func cloudTrailIDs(_ events: [[UInt8]]) throws -> [String] {
        try events.compactMap { bytes in
            let tape = try JSONTape(parsing: bytes)
            guard tape.value(forKey: "eventSource", in: 0) != nil else { return nil }
            return tape.value(forKey: "eventID", in: 0).flatMap(tape.string)
        }
    }

    @Test func recordsLandAsSortedZstdParquetPerClassAndPartition() throws {
        if let reason = LakeFixtures.readerUnavailable { return print("SKIP: \(reason)") }
        let sample = try LakeFixtures.mixedSample()
        guard !sample.isEmpty else { return print("SKIP: shared/data/events not found") }
        let root = try LakeFixtures.temporaryDirectory()
        let service = try Self.startService(sink: root)
        defer { service.shutdown() }
        let requestID = "7d2b7a1c-1111-4c2e-8d55-000000000001"
        #expect(try LakeFixtures.post(port: service.boundPort, requestID: requestID, events: sample) == 200)

        let reading = try LakeFixtures.read(root)
        #expect(!reading.files.isEmpty)
        for file in reading.files {
            let path = file["path"] as? String ?? ""
            let key = #/^ext/\w+-(\d{4})/1\.0/region=eu-west-1/accountId=[^/]+/eventDay=(\d{8})/(.+)-\d+\.parquet$/#
            let match = path.firstMatch(of: key)
            #expect(match != nil, "unexpected key \(path)")
            #expect(match?.output.3 == Substring(requestID))
            #expect(file["codecs"] as? [String] == ["ZSTD"], "\(path)")
            #expect(file["sorted_by_time"] as? Bool == true, "\(path)")
            let rows = reading.rows[path] ?? []
            #expect(reading.duckdbRows[path] == rows.count)
            #expect(file["rows"] as? Int == rows.count)
            // One class per object, and the object under that class's location.
            let classes = Set(rows.compactMap { $0["class_uid"] as? Int })
            #expect(classes.count == 1)
            if let uid = classes.first, let location = match?.output.1 { #expect(String(uid) == String(location)) }
            // eventDay is the UTC day of each row's time.
            for row in rows {
                let time = row["time"] as? Int64 ?? Int64(row["time"] as? Int ?? 0)
                #expect(UTCTime.compactDate(millis: time) == String(match?.output.2 ?? ""))
            }
        }
        // Every CloudTrail event is one row, exactly once.
        let expected = try Self.cloudTrailIDs(sample).sorted()
        let written = reading.allRows.compactMap { row -> String? in
            guard let metadata = row["metadata"] as? [String: Any],
                (metadata["product"] as? [String: Any])?["name"]
                    as? String == "CloudTrail"
            else { return nil }
            return metadata["uid"] as? String
        }.sorted()
        #expect(written == expected)
        // Security Hub control findings are Compliance Findings with their control.
        let compliance = reading.allRows.filter { $0["class_uid"] as? Int == 2003 }
        #expect(!compliance.isEmpty)
        #expect(compliance.allSatisfy { ($0["compliance"] as? [String: Any])?["control"] is String })
        // The seed query runs over the tree and returns the enriched rows.
        #expect(!reading.seed.isEmpty)
        for row in reading.seed {
            let matches = row["secberus_compliance"] as? [[String: Any]] ?? []
            #expect(!matches.isEmpty)
            #expect(matches.allSatisfy { $0["framework_id"] is String && $0["similarity"] is Double })
            #expect(row["description"] is String)
            #expect(row["region"] as? String == "eu-west-1")
        }
        // Enriched rows also carry the OCSF enrichments[] element.
        let enriched = reading.allRows.filter { ($0["secberus_compliance"] as? [Any])?.isEmpty == false }
        #expect(!enriched.isEmpty)
        for row in enriched {
            let enrichments = row["enrichments"] as? [[String: Any]] ?? []
            #expect(enrichments.contains { $0["provider"] as? String == "secberus" && $0["data"] is String })
            // The enrichment names the OCSF attribute holding the text, not the source's field.
            let names = Set(enrichments.compactMap { $0["name"] as? String })
            let expectedName = [2003: "finding_info.title", 6003: "api.operation"][row["class_uid"] as? Int ?? 0]
            if let expectedName { #expect(names.contains(expectedName), "\(names)") }
        }
        #expect(reading.schemas.values.allSatisfy { $0 == 1 }, "\(reading.schemas)")
    }

    @Test func eventsWithoutAMappingGoToTheRawLocationWithAReason() throws {
        let sample = try LakeFixtures.load("panther-test-events/azure_monitoractivity.ndjson", limit: 3)
        guard !sample.isEmpty else { return print("SKIP: shared/data/events not found") }
        let root = try LakeFixtures.temporaryDirectory()
        let service = try Self.startService(sink: root)
        defer { service.shutdown() }
        #expect(try LakeFixtures.post(port: service.boundPort, requestID: "raw-1", events: sample) == 200)
        let raw = LakeFixtures.files(under: root, suffix: ".json.gz")
        #expect(!raw.isEmpty)
        #expect(raw.allSatisfy { $0.hasPrefix("raw/eventDay=") && $0.contains("/raw-1-") })
        #expect(LakeFixtures.files(under: root, suffix: ".parquet").isEmpty)
        var lines: [ArraySlice<UInt8>] = []
        for object in raw {
            let compressed = [UInt8](try Data(contentsOf: root.appendingPathComponent(object)))
            lines += try Gzip.inflate(compressed, limit: 1 << 26).split(separator: 0x0A)
        }
        #expect(lines.count == sample.count)
        for line in lines {
            let tape = try JSONTape(parsing: Array(line))
            let reason = tape.value(forKey: "lakemark_raw_reason", in: 0).flatMap(tape.string) ?? ""
            #expect(reason.hasPrefix("no_mapping."), "\(reason)")
            #expect(tape.value(forKey: "secberus_compliance", in: 0) != nil)
        }
    }

    @Test func aRetriedRequestOverwritesItsObjects() throws {
        if let reason = LakeFixtures.readerUnavailable { return print("SKIP: \(reason)") }
        let sample =
            try LakeFixtures.load("aws-asr-securityhub-asff/afsbp-s3.2.json")
            + LakeFixtures.load("panther-test-events/aws_guardduty.ndjson", limit: 3)
        guard !sample.isEmpty else { return print("SKIP: shared/data/events not found") }
        let root = try LakeFixtures.temporaryDirectory()
        let service = try Self.startService(sink: root)
        defer { service.shutdown() }
        #expect(try LakeFixtures.post(port: service.boundPort, requestID: "retry-1", events: sample) == 200)
        let first = LakeFixtures.files(under: root, suffix: ".parquet")
        #expect(try LakeFixtures.post(port: service.boundPort, requestID: "retry-1", events: sample) == 200)
        #expect(LakeFixtures.files(under: root, suffix: ".parquet") == first)
        #expect(try LakeFixtures.read(root).allRows.count == sample.count)
    }

    @Test func ndjsonZstdWritesZstdObjects() throws {
        let sample = try LakeFixtures.load("panther-test-events/aws_guardduty.ndjson", limit: 3)
        guard !sample.isEmpty else { return print("SKIP: shared/data/events not found") }
        let root = try LakeFixtures.temporaryDirectory()
        let service = try Self.startService(sink: root) { $0.format = .ndjsonZstd }
        defer { service.shutdown() }
        #expect(try LakeFixtures.post(port: service.boundPort, requestID: "zstd-1", events: sample) == 200)
        let objects = LakeFixtures.files(under: root, suffix: ".json.zst")
        #expect(!objects.isEmpty)
        var lines = 0
        for object in objects {
            let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent(object)))
            let ndjson = try Zstd.decompress(bytes, limit: 1 << 26)
            for line in ndjson.split(separator: 0x0A) {
                let tape = try JSONTape(parsing: Array(line))
                #expect(tape.value(forKey: "secberus_compliance", in: 0) != nil)
                lines += 1
            }
        }
        #expect(lines == sample.count)
    }
}
