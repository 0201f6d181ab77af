import Foundation
import Testing

@testable import Mapping

/// Priors, crosswalk projection and calibration: parsing, effect on the ranking, and their absence.
@Suite struct HybridRankingTests {
    private func ranking(_ mapper: EmbeddedMapper, _ text: String, _ framework: FrameworkID) throws -> [ControlMatch] {
        let options = MappingOptions(frameworks: [framework], threshold: .minSimilarity(0.01), topK: 10)
        return try mapper.map([text], options: options)[0]
    }

    @Test func priorsFileIsParsed() throws {
        let text =
            "#lakemark-priors\t1\n#alpha\tnist_800_53_r5=0.2\ttsc_2017=0.5\n"
            + "#calibration\tnist_800_53_r5=0.5,0.8,1.0,1.2\tiso_27001=0.5,0.4,1.0,1.2\n"
            + "nist_800_53_r5\tAC-6\t1.0\nnist_800_53_r5\tSC-7\t0.5\n"
        let priors = try ControlPriors(bytes: Array(text.utf8))
        let scaled = priors.scaled(catalog: "nist_800_53_r5", ids: ["AC-2", "AC-6", "SC-7"])
        #expect(scaled.map(\.index) == [1, 2])
        #expect(scaled.map(\.value) == [0.2, 0.1])
        #expect(priors.scaled(catalog: "tsc_2017", ids: ["CC6.1"]).isEmpty)
        #expect(priors.calibrations["nist_800_53_r5"] == [0.5, 0.8, 1.0, 1.2])
        #expect(priors.calibrations["iso_27001"] == nil, "knots that do not increase are ignored")
    }

    @Test(arguments: [
        "#lakemark-priors\t2\nnist_800_53_r5\tAC-6\t1.0\n",
        "#lakemark-priors\t1\nnist_800_53_r5\tAC-6\t1.5\n",
        "#lakemark-priors\t1\nnist_800_53_r5\tAC-6\n",
    ])
    func malformedPriorsAreRejected(_ text: String) {
        #expect(throws: MappingError.self) { try ControlPriors(bytes: Array(text.utf8)) }
    }

    @Test func calibrationPutsTheCutPointsOnTheKnots() {
        let knots: [Float] = [0.5, 0.8, 1.0, 1.2]
        #expect(abs(SimilarityCalibration.calibrated(0.5, knots: knots) - 0.30) < 1e-6)
        #expect(abs(SimilarityCalibration.calibrated(0.8, knots: knots) - 0.50) < 1e-6)
        #expect(abs(SimilarityCalibration.calibrated(1.0, knots: knots) - 0.70) < 1e-6)
        #expect(SimilarityCalibration.calibrated(1.2, knots: knots) == 1.0)
        #expect(SimilarityCalibration.calibrated(5, knots: knots) == 1.0)
        #expect(SimilarityCalibration.calibrated(0, knots: knots) == 0.01)
        #expect(SimilarityCalibration.calibrated(0.42, knots: []) == Double(Float(0.42)))
        var previous = 0.0
        for step in 0...300 {
            let value = SimilarityCalibration.calibrated(Float(step) / 200, knots: knots)
            #expect(value >= previous)
            previous = value
        }
    }

    @Test func crosswalkProjectsEnhancementsOntoTheirBaseControlsPairs() throws {
        let text =
            "#lakemark-crosswalk\t1\n#weight\tiso_27001=0.2\n"
            + "iso_27001\tA.8.5\tIA-2\niso_27001\tA.8.15\tAU-2 AU-12\n"
        let crosswalk = try CrosswalkProjection(bytes: Array(text.utf8))
        let nist = ["AU-2", "AU-12", "IA-2", "IA-2(1)"]
        let table = try #require(
            crosswalk.table(catalog: "iso_27001", ids: ["A.8.5", "A.8.15", "A.5.1"], nistIDs: nist)
        )
        #expect(crosswalk.table(catalog: "tsc_2017", ids: ["CC6.1"], nistIDs: nist) == nil)
        let sources = [(index: 3, score: Float(0.9), lexical: Float(0.9)), (index: 1, score: 0.5, lexical: 0.5)]
        let boosts = table.boosts(from: sources[...], count: 3)
        #expect(abs(boosts[0] - 0.18) < 1e-6, "IA-2(1) counts for the pairs of IA-2")
        #expect(abs(boosts[1] - 0.10) < 1e-6)
        #expect(boosts[2] == 0)
        #expect(throws: MappingError.self) {
            try CrosswalkProjection(bytes: Array("#lakemark-crosswalk\t1\niso_27001\tA.8.5\n".utf8))
        }
    }

    @Test func aPriorReordersOnlyControlsTheTextMatches() throws {
        let directory = try bundledCatalogCopy("hybrid")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent(CrosswalkProjection.fileName))
        let text = "Root account login detected without MFA"
        let plain = try EmbeddedMapper(catalogDirectory: directory, cacheCapacity: 0)
        let before = try ranking(plain, text, .nist80053r5)
        let last = try #require(before.last)
        #expect(last.controlID != before[0].controlID)
        let priors =
            "#lakemark-priors\t1\n#alpha\tnist_800_53_r5=1\nnist_800_53_r5\t\(last.controlID)\t1.0\n"
            + "nist_800_53_r5\tPE-12\t1.0\n"
        let file = directory.appendingPathComponent(ControlPriors.fileName)
        try priors.write(to: file, atomically: true, encoding: .utf8)
        let boosted = try EmbeddedMapper(catalogDirectory: directory, cacheCapacity: 0)
        let after = try ranking(boosted, text, .nist80053r5)
        #expect(after.first?.controlID == last.controlID, "\(after.map(\.controlID))")
        #expect(!after.contains { $0.controlID == "PE-12" }, "a prior alone never brings in a control")
        #expect(try ranking(boosted, "zzqx qqzz 12345", .nist80053r5).isEmpty)
    }

    @Test func withoutPriorsAndCrosswalkTheEngineIsLexical() throws {
        let directory = try bundledCatalogCopy("hybrid")
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in [ControlPriors.fileName, CrosswalkProjection.fileName] {
            try FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
        let mapper = try EmbeddedMapper(catalogDirectory: directory, cacheCapacity: 0)
        #expect(mapper.projections.isEmpty)
        let matches = try ranking(mapper, "Root account login detected without MFA", .nist80053r5)
        #expect(matches.prefix(3).contains { $0.controlID.hasPrefix("IA-2") }, "\(matches.map(\.controlID))")
    }

    @Test func theBundledEngineProjectsOntoEveryOtherCatalog() throws {
        let mapper = try loadMapper()
        for framework in [FrameworkID.nistCSFv2, .pciDSSv4, .iso27001, .soc2] {
            let table = try #require(mapper.projections[framework.catalogName], "\(framework.rawValue)")
            #expect(table.targets.count == mapper.controlCount(for: .nist80053r5))
            #expect(table.targets.contains { !$0.isEmpty })
        }
        #expect(mapper.projections[FrameworkID.nist80053r5.catalogName] == nil)
    }
}
