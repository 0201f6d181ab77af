import Foundation
import Testing

@testable import Mapping

@Suite struct CatalogTests {
    @Test func controlCountsPerFramework() throws {
        let mapper = try loadMapper()
        #expect(mapper.controlCount(for: .nist80053r5) == 1007)
        #expect(mapper.controlCount(for: .nistCSFv2) == 106)
        #expect(mapper.controlCount(for: .iso27001) == 93)
        #expect(mapper.controlCount(for: .soc2) == 61)
        #expect(mapper.controlCount(for: .pciDSSv4) == 279)
    }

    @Test func idsHaveCanonicalFormats() throws {
        let mapper = try loadMapper()
        let formats: [FrameworkID: String] = [
            .nist80053r5: #"^(AC|AT|AU|CA|CM|CP|IA|IR|MA|MP|PE|PL|PM|PS|PT|RA|SA|SC|SI|SR)-\d{1,2}(\(\d{1,2}\))?$"#,
            .nistCSFv2: #"^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-[0-9]{2}$"#,
            .pciDSSv4: #"^A?[1-9][0-9]?(\.[1-9][0-9]?){2,4}$"#,
            .iso27001: #"^A\.[5-8]\.[1-9][0-9]?$"#,
            .soc2: #"^(CC[1-9]|A1|C1|PI1|P[1-8])\.[1-9]$"#,
        ]
        for (framework, pattern) in formats {
            let regex = try Regex(pattern)
            let ids = mapper.controlIDs(for: framework)
            let bad = ids.filter { (try? regex.wholeMatch(in: $0)) == nil }
            #expect(bad.isEmpty, "\(framework.rawValue): \(bad.prefix(5))")
            #expect(Set(ids).count == ids.count, "\(framework.rawValue) has duplicate ids")
        }
    }

    @Test func catalogsContainKnownControls() throws {
        let mapper = try loadMapper()
        let expected: [FrameworkID: [String]] = [
            .nist80053r5: ["AC-2", "IA-2(1)", "SC-7(5)", "AU-12", "SR-12"],
            .nistCSFv2: ["GV.OC-01", "PR.AA-01", "DE.CM-09", "RC.CO-04"],
            .pciDSSv4: ["1.3.1", "8.4.2", "10.2.1.6", "12.10.7", "A1.1.2", "A3.5.1"],
            .iso27001: ["A.5.1", "A.5.37", "A.6.8", "A.7.14", "A.8.34"],
            .soc2: ["CC1.1", "CC6.1", "CC9.2", "A1.3", "PI1.5", "P8.1"],
        ]
        for (framework, ids) in expected {
            let present = Set(mapper.controlIDs(for: framework))
            for id in ids {
                #expect(present.contains(id), "\(framework.rawValue) lacks \(id)")
            }
        }
        #expect(!Set(mapper.controlIDs(for: .nist80053r5)).contains("AC-3(1)"), "withdrawn controls are left out")
    }

    @Test func soc2AndAICPAShareOneCatalogue() throws {
        let mapper = try loadMapper()
        #expect(mapper.controlIDs(for: .soc2) == mapper.controlIDs(for: .aicpaTSC))
        let text = "Security group allows unrestricted inbound SSH"
        let both = try mapper.map([text], options: MappingOptions(frameworks: [.soc2, .aicpaTSC], topK: 5))[0]
        let soc2 = both.filter { $0.frameworkID == .soc2 }
        let tsc = both.filter { $0.frameworkID == .aicpaTSC }
        #expect(!soc2.isEmpty)
        #expect(soc2.map(\.controlID) == tsc.map(\.controlID))
        #expect(soc2.map(\.similarity) == tsc.map(\.similarity))
    }

    @Test func familiesAreFilled() throws {
        let matches = try loadMapper().map(
            ["Root account login detected without MFA"],
            options: MappingOptions(frameworks: FrameworkID.allCases, threshold: .minSimilarity(0.01), topK: 1)
        )[0]
        #expect(matches.count == FrameworkID.allCases.count)
        let families = Dictionary(uniqueKeysWithValues: matches.map { ($0.frameworkID, $0.family) })
        #expect(families[.nist80053r5] == "Identification and Authentication")
        #expect(families[.iso27001] == "Technological controls")
        #expect(families[.soc2] == "Logical and Physical Access Controls")
        #expect(families.values.allSatisfy { !$0.isEmpty })
    }

    @Test func bundledDirectoryHonoursEnvironment() throws {
        let bundled = try EmbeddedMapper.bundledCatalogDirectory(environment: [:])
        #expect(FileManager.default.fileExists(atPath: bundled.appendingPathComponent("nist_800_53_r5.tsv").path))
        let named = try EmbeddedMapper.bundledCatalogDirectory(
            environment: [EmbeddedMapper.catalogDirectoryVariable: bundled.path]
        )
        #expect(named.standardizedFileURL.path == bundled.standardizedFileURL.path)
        #expect(throws: MappingError.self) {
            try EmbeddedMapper.bundledCatalogDirectory(
                environment: [EmbeddedMapper.catalogDirectoryVariable: "/nonexistent/lakemark-catalogs"]
            )
        }
    }

    @Test func malformedCatalogIsRejected() throws {
        let directory = try bundledCatalogCopy("catalog")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("iso_27001.tsv")
        var text = try String(contentsOf: file, encoding: .utf8)
        text += "A.9.1\tbroken line with too few fields\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try EmbeddedMapper(catalogDirectory: directory)
            Issue.record("a malformed catalog was accepted")
        } catch let error as MappingError {
            #expect(error.code == .catalogInvalid)
            #expect(error.message.contains("iso_27001.tsv"))
        }
    }
}
