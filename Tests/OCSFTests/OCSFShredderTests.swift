import Foundation
import JSONBytes
import OCSF
import Testing

/// Validation and shredding against the pinned classes.
@Suite struct OCSFShredderTests {
    let catalog: OCSFSchemaCatalog

    init() throws {
        catalog = try OCSFSchemaCatalog.bundled()
    }

    /// A valid Detection Finding; `replacing` edits its text before parsing.
    static func finding(_ edit: (String) -> String = { $0 }) throws -> JSONTape {
        let text = """
            {"class_uid":2004,"category_uid":2,"activity_id":1,"type_uid":200401,"severity_id":4,\
            "time":1717243200000,"time_dt":"2024-06-01T12:00:00.000Z","message":"trail stopped",\
            "metadata":{"version":"1.1.0","product":{"name":"Detector","vendor_name":"Example"},"profiles":["cloud"]},\
            "cloud":{"provider":"AWS","region":"us-east-1","account":{"uid":"123456789012"}},\
            "finding_info":{"uid":"f-1","title":"Trail stopped","types":["A","B"],"vendor_x":7},\
            "resources":[{"uid":"r-1","type":"Trail"},{"uid":"r-2","labels":["x"]}],\
            "custom_top":{"a":1},"unmapped":{"kept":"yes"}}
            """
        return try JSONTape(parsing: Array(edit(text).utf8))
    }

    func shred(_ tape: JSONTape, enrichment: OCSFEnrichment? = nil) throws -> OCSFRecord {
        let schema = try #require(catalog.schema(classUID: 2004))
        return try OCSFShredder(schema: schema).shred(tape, enrichment: enrichment)
    }

    func column(_ record: OCSFRecord, _ name: String) throws -> OCSFValue {
        let schema = try #require(catalog.schema(classUID: 2004))
        return record.values[try #require(schema.columnPosition(name))]
    }

    @Test func validEventShredsIntoColumns() throws {
        let record = try shred(try Self.finding())
        #expect(record.classUID == 2004)
        #expect(record.timeMillis == 1_717_243_200_000)
        #expect(record.region == "us-east-1")
        #expect(record.accountID == "123456789012")
        #expect(try column(record, "severity_id") == .int32(4))
        #expect(try column(record, "type_uid") == .int64(200_401))
        #expect(try column(record, "time_dt") == .int64(1_717_243_200_000))
        guard case .list(let resources) = try column(record, "resources") else {
            Issue.record("resources is not a list")
            return
        }
        #expect(resources.count == 2)
        #expect(try column(record, OCSFClassSchema.complianceColumn) == .null)
    }

    /// OCSF times are milliseconds; Prowler writes seconds. A time that is plausible only as seconds is read as
    /// seconds (row and partition), and one that is plausible neither way is refused, so it never names a partition
    /// like eventDay=19700121 or 100000101.
    @Test func timesInSecondsAreReadAsSecondsAndImplausibleTimesAreRefused() throws {
        let seconds = try shred(try Self.finding { $0.replacingOccurrences(of: "1717243200000", with: "1717243200") })
        #expect(seconds.timeMillis == 1_717_243_200_000)
        #expect(try column(seconds, "time") == .int64(1_717_243_200_000))
        for time in ["253402300800000", "12", "-1717243200000"] {
            let error = try #require(throws: OCSFError.self) {
                try shred(try Self.finding { $0.replacingOccurrences(of: "1717243200000", with: time) })
            }
            #expect(error.code == .implausibleTime && error.path == "time", "time \(time)")
        }
    }

    @Test func membersOutsideTheClassGoToUnmapped() throws {
        let record = try shred(try Self.finding())
        guard case .bytes(let json) = try column(record, "unmapped") else {
            Issue.record("unmapped is empty")
            return
        }
        let tape = try JSONTape(parsing: json)
        #expect(tape.value(forKey: "kept", in: 0).flatMap(tape.string) == "yes")
        #expect(tape.value(forKey: "custom_top", in: 0) != nil)
        #expect(tape.value(forKey: "finding_info.vendor_x", in: 0).flatMap(tape.int64) == 7)
    }

    @Test(arguments: [
        ("\"severity_id\":4", "\"severity_id\":42", "unknown_enum_value", "severity_id"),
        ("\"type_uid\":200401", "\"type_uid\":200402", "inconsistent_ids", "type_uid"),
        ("\"category_uid\":2", "\"category_uid\":3", "unknown_enum_value", "category_uid"),
        ("\"version\":\"1.1.0\"", "\"version\":\"v1.1.0\"", "bad_version", "metadata.version"),
        ("\"title\":\"Trail stopped\",", "", "missing_required", "finding_info.title"),
        ("\"time\":1717243200000", "\"time\":\"yesterday\"", "wrong_type", "time"),
        ("\"types\":[\"A\",\"B\"]", "\"types\":\"A\"", "wrong_type", "finding_info.types"),
        ("\"labels\":[\"x\"]", "\"labels\":[{}]", "wrong_type", "resources[1].labels[0]"),
    ])
    func invalidEventsAreRejectedWithThePath(edit: (String, String, String, String)) throws {
        let tape = try Self.finding { $0.replacingOccurrences(of: edit.0, with: edit.1) }
        do {
            _ = try shred(tape)
            Issue.record("accepted an event with \(edit.1)")
        } catch let error as OCSFError {
            #expect(error.code.name == edit.2)
            #expect(error.path == edit.3)
        }
    }

    @Test func enrichmentFillsTheExtraColumnsAndEnrichments() throws {
        let match = OCSFEnrichment.Match(
            frameworkID: "nist_800_53_r5",
            controlID: "AU-9",
            family: "Audit and Accountability",
            similarity: 0.82,
            confidence: "High"
        )
        let json = Array(#"[{"framework_id":"nist_800_53_r5","control_id":"AU-9"}]"#.utf8)
        let enrichment = OCSFEnrichment(
            attribute: "finding_info.title",
            text: "Trail stopped",
            matches: [match],
            matchesJSON: json
        )
        let record = try shred(try Self.finding(), enrichment: enrichment)
        #expect(try column(record, OCSFClassSchema.descriptionColumn) == .bytes(Array("Trail stopped".utf8)))
        #expect(
            try column(record, OCSFClassSchema.complianceColumn)
                == .list([
                    .group([
                        .bytes(Array("nist_800_53_r5".utf8)), .bytes(Array("AU-9".utf8)),
                        .bytes(Array("Audit and Accountability".utf8)), .double(0.82), .bytes(Array("High".utf8)),
                    ])
                ])
        )
        guard case .list(let enrichments) = try column(record, "enrichments"),
            case .group(let element)? = enrichments.first
        else {
            Issue.record("no enrichment element")
            return
        }
        let schema = try #require(catalog.schema(classUID: 2004))
        let names = try #require(schema.attribute(atPath: "enrichments")).children.map(\.name)
        let byName = Dictionary(uniqueKeysWithValues: zip(names, element))
        #expect(byName["name"] == .bytes(Array("finding_info.title".utf8)))
        #expect(byName["provider"] == .bytes(Array("secberus".utf8)))
        #expect(byName["type"] == .bytes(Array("compliance_mapping".utf8)))
        #expect(byName["data"] == .bytes(json))
    }

    @Test func eventCannotOverrideTheServiceColumns() throws {
        let record = try shred(
            try Self.finding { $0.replacingOccurrences(of: "\"custom_top\"", with: "\"description\"") }
        )
        #expect(try column(record, OCSFClassSchema.descriptionColumn) == .null)
        guard case .bytes(let json) = try column(record, "unmapped") else {
            Issue.record("unmapped is empty")
            return
        }
        #expect(String(decoding: json, as: UTF8.self).contains("\"description\""))
    }

    @Test(arguments: [
        ("1.1.0", true), ("1.3.0-dev", true), ("1.0.0-rc.2", true), ("v1.1.0", false), ("1.1", false),
        ("1.1.0-", false), ("1.1.0-rc.", false), ("1.1.0-beta", false),
    ])
    func ocsfVersionGrammar(version: (String, Bool)) {
        #expect(OCSFShredder.isOCSFVersion(version.0) == version.1)
    }

    @Test func schemaParsingRejectsMalformedFiles() {
        #expect(throws: OCSFError.self) { try OCSFClassSchema.parse("path\ttype\n") }
        let orphan =
            "# OCSF 1.1.0 class x (9999); category 9; test\npath\ttype\trequirement\tarray\tenum\n"
            + "a.b\tstring\toptional\t0\t\n"
        #expect(throws: OCSFError.self) { try OCSFClassSchema.parse(orphan) }
    }
}
