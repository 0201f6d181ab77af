import JSONBytes
import OCSF
import Testing

/// Converts and validates the sample corpus family by family.
@Suite struct OCSFCorpusTests {
    let catalog: OCSFSchemaCatalog
    let converter = OCSFConverter()

    init() throws {
        catalog = try OCSFSchemaCatalog.bundled()
    }

    /// Outcome counts of a set of events: records by class, failures by reason, unmapped by reason.
    struct Tally: CustomStringConvertible {
        var classes: [Int: Int] = [:]
        var failures: [String: Int] = [:]
        var unmapped: [String: Int] = [:]
        var valid: Int { classes.values.reduce(0, +) }
        var description: String { "classes \(classes) failures \(failures) unmapped \(unmapped)" }
    }

    func tally(_ events: [[UInt8]]) throws -> Tally {
        var tally = Tally()
        for bytes in events {
            let tape = try JSONTape(parsing: bytes)
            for conversion in converter.convert(tape) {
                switch conversion {
                case .unmapped(let reason):
                    tally.unmapped[reason, default: 0] += 1
                case .ocsf(let event, _):
                    let uid = event.value(forKey: "class_uid", in: event.rootIndex).flatMap(event.int64) ?? 0
                    guard let schema = catalog.schema(classUID: Int(uid)) else {
                        tally.failures["unknown_class.\(uid)", default: 0] += 1
                        continue
                    }
                    do {
                        _ = try OCSFShredder(schema: schema).shred(event, enrichment: nil)
                        tally.classes[Int(uid), default: 0] += 1
                    } catch {
                        tally.failures["\(error.code).\(error.path)", default: 0] += 1
                    }
                }
            }
        }
        return tally
    }

    @Test func bundledSchemasCoverTheClasses() throws {
        for uid in [2003, 2004, 3001, 3002, 4001, 6003] {
            let schema = try #require(catalog.schema(classUID: uid))
            #expect(schema.version == "1.1.0")
            #expect(schema.categoryUID == uid / 1_000)
            #expect(schema.columns.last?.name == OCSFClassSchema.complianceColumn)
        }
        let api = try #require(catalog.schema(classUID: 6003))
        #expect(api.attribute(atPath: "actor.user.account.uid") != nil)
        #expect(api.attribute(atPath: "api.operation")?.requirement == .required)
        #expect(api.attribute(atPath: "unmapped") != nil)
    }

    @Test func cloudTrailRecordsBecomeValidOCSF() throws {
        let events = try OCSFCorpus.events("invictus-aws-cloudtrail")
        guard !events.isEmpty else { return print(OCSFCorpus.missing) }
        let tally = try tally(events)
        print("invictus CloudTrail: \(events.count) events → \(tally)")
        #expect(tally.failures.isEmpty, "\(tally.failures)")
        #expect(tally.valid == events.count)
        #expect((tally.classes[6003] ?? 0) > events.count / 2)
    }

    @Test func stratusCloudTrailRecordsBecomeValidOCSF() throws {
        let events = try OCSFCorpus.events("stratus-red-team-cloudtrail")
        guard !events.isEmpty else { return print(OCSFCorpus.missing) }
        let tally = try tally(events)
        print("stratus CloudTrail: \(events.count) events → \(tally)")
        #expect(tally.failures.isEmpty, "\(tally.failures)")
    }

    @Test func securityHubFindingsBecomeComplianceFindings() throws {
        let events = try OCSFCorpus.events("aws-asr-securityhub-asff")
        guard !events.isEmpty else { return print(OCSFCorpus.missing) }
        let tally = try tally(events)
        print("ASFF: \(events.count) events → \(tally)")
        #expect(tally.failures.isEmpty, "\(tally.failures)")
        #expect((tally.classes[2003] ?? 0) > 0)
    }

    @Test func pantherFamilies() throws {
        for (file, expected) in [
            ("aws_cloudtrail.ndjson", 6003), ("aws_guardduty.ndjson", 2004), ("aws_securityhub_asff.ndjson", 2004),
            ("okta_systemlog.ndjson", 3002), ("aws_vpcflow.ndjson", 4001), ("aws_eks_audit.ndjson", 6003),
            ("gcp_auditlog.ndjson", 6003),
        ] {
            let events = try OCSFCorpus.events("panther-test-events") { $0 == file }
            guard !events.isEmpty else { return print(OCSFCorpus.missing) }
            let tally = try tally(events)
            print("panther \(file): \(events.count) events → \(tally)")
            #expect(tally.classes.keys.contains(expected) || tally.valid == 0, "\(file): \(tally)")
            #expect(tally.failures.isEmpty, "\(file): \(tally)")
        }
    }

    @Test func prowlerOCSFPassesThrough() throws {
        let events = try OCSFCorpus.events("prowler")
        guard !events.isEmpty else { return print(OCSFCorpus.missing) }
        let tally = try tally(events)
        print("prowler OCSF: \(events.count) events → \(tally)")
        #expect(tally.unmapped.isEmpty)
    }
}
