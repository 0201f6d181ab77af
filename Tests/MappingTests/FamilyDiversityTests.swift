import Foundation
import Testing

@testable import Mapping

/// The family penalty: the order it gives, the families it reads, its settings in `priors.tsv` and its effect on
/// the bundled engine's answers.
@Suite struct FamilyDiversityTests {
    private let nist = FamilyDiversity(
        ids: ["AC-2", "AC-2(1)", "AC-2(4)", "SI-4", "AU-6"],
        catalog: "nist_800_53_r5"
    )

    @Test(arguments: [
        ("nist_800_53_r5", "AC-2(12)", "AC-2"), ("nist_800_53_r5", "SI-4", "SI-4"),
        ("nist_csf_v2", "PR.AA-05", "PR.AA"), ("nist_csf_v2", "GV.OC", "GV.OC"),
        ("pci_dss_v4", "10.2.1.4", "10.2"), ("pci_dss_v4", "A1.1.2", "A1.1"), ("pci_dss_v4", "12", "12"),
        ("iso_27001", "A.8.15", "A.8.15"), ("tsc_2017", "CC6.1", "CC6.1"),
    ])
    func familiesAreTheDevelopmentSetsCollapsedIDs(_ catalog: String, _ id: String, _ family: String) {
        #expect(FamilyDiversity.family(of: id, catalog: catalog) == family)
    }

    @Test func siblingsGiveWayToAnotherFamilyWhenTheirLeadIsSmallerThanThePenalty() {
        // AC-2(1), AC-2, AC-2(4), SI-4, AU-6 with scores 1.0, 0.95, 0.9, 0.8, 0.5.
        let controls = [1, 0, 2, 3, 4]
        let scores = [1.0, 0.95, 0.9, 0.8, 0.5]
        // Penalty 0.3: SI-4 (0.8) beats AC-2 (0.95 - 0.3); then AC-2 (0.65) beats AC-2(4) (0.6) and AU-6 (0.5);
        // then AC-2(4) (0.9 - 0.6 = 0.3) loses to AU-6.
        #expect(nist.order(controls: controls, scores: scores, penalty: 0.3, count: 5) == [0, 3, 1, 4, 2])
        #expect(nist.order(controls: controls, scores: scores, penalty: 0.3, count: 2) == [0, 3])
        #expect(nist.order(controls: controls, scores: scores, penalty: 0, count: 3) == [0, 1, 2])
        #expect(nist.order(controls: controls, scores: scores, penalty: 100, count: 5) == [0, 3, 4, 1, 2])
        #expect(nist.order(controls: controls, scores: scores, penalty: 0.3, count: 9).count == 5)
        #expect(nist.order(controls: [], scores: [], penalty: 1, count: 3).isEmpty)
    }

    @Test func theTopCandidateStaysFirstAndTiesKeepTheRanking() {
        let controls = [0, 1, 3]
        #expect(nist.order(controls: controls, scores: [0.7, 0.7, 0.7], penalty: 0.5, count: 3) == [0, 2, 1])
        #expect(nist.order(controls: [3, 4], scores: [0.7, 0.7], penalty: 0.5, count: 2) == [0, 1])
    }

    @Test func ownFamiliesNeverMove() {
        let iso = FamilyDiversity(ids: ["A.5.15", "A.8.2", "A.8.5"], catalog: "iso_27001")
        #expect(iso.order(controls: [2, 0, 1], scores: [0.9, 0.8, 0.1], penalty: 10, count: 3) == [0, 1, 2])
    }

    @Test func spreadIsThePopulationStandardDeviation() {
        #expect(FamilyDiversity.spread([]) == 0)
        #expect(FamilyDiversity.spread([3]) == 0)
        #expect(abs(FamilyDiversity.spread([1, 3]) - 1) < 1e-12)
        #expect(abs(FamilyDiversity.spread([2, 4, 4, 4, 5, 5, 7, 9]) - 2) < 1e-12)
    }

    @Test func priorsCarryThePenalties() throws {
        let text = """
            #lakemark-priors\t1
            #alpha\tnist_800_53_r5=0.2
            #diversity\tnist_800_53_r5=0.5\tpci_dss_v4=0
            #diversity_reranked\tnist_800_53_r5=1\tpci_dss_v4=100
            nist_800_53_r5\tAC-2\t1.0

            """
        let priors = try ControlPriors(bytes: Array(text.utf8))
        #expect(priors.diversityPenalties == ["nist_800_53_r5": 0.5, "pci_dss_v4": 0])
        #expect(priors.rerankedDiversityPenalties == ["nist_800_53_r5": 1, "pci_dss_v4": 100])
        #expect(ControlPriors().diversityPenalties.isEmpty)
    }

    @Test(arguments: [
        "#diversity\tnist_800_53_r5=x", "#diversity\tnist_800_53_r5=-1", "#diversity_reranked\tpci_dss_v4=101",
        "#diversity\tnist_800_53_r5=nan", "#diversity\tnist_800_53_r5=inf", "#diversity\tnist_800_53_r5",
        "#diversity\t=0.5", "#margin\tnist_800_53_r5=21", "#alpha\tiso_27001=2",
    ])
    func aBadSettingMakesThePriorsInvalid(_ line: String) throws {
        let text = "#lakemark-priors\t1\n\(line)\nnist_800_53_r5\tAC-2\t1.0\n"
        let error = try #require(throws: MappingError.self) { try ControlPriors(bytes: Array(text.utf8)) }
        #expect(error.code == .catalogInvalid)
        #expect(error.message.contains(String(line.split(separator: "\t")[0])), "\(error.message)")
    }

    /// A copy of the bundled catalogs without the `#diversity` lines (the caller removes it).
    private func catalogsWithoutPenalties() throws -> URL {
        let directory = try bundledCatalogCopy("diversity")
        let priorsFile = directory.appendingPathComponent(ControlPriors.fileName)
        let lines = try String(contentsOf: priorsFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("#diversity\t") })
        #expect(lines.contains { $0.hasPrefix("#diversity_reranked\t") })
        try lines.filter { !$0.hasPrefix("#diversity") }.joined(separator: "\n")
            .write(to: priorsFile, atomically: true, encoding: .utf8)
        return directory
    }

    @Test func theLexicalEngineAnswersMoreFamiliesAndLosesNoAnswer() throws {
        let bundled = try EmbeddedMapper.bundledCatalogDirectory(environment: [:])
        let plain = try catalogsWithoutPenalties()
        defer { try? FileManager.default.removeItem(at: plain) }
        try check(
            diverse: EmbeddedMapper(catalogDirectory: bundled, cacheCapacity: 0),
            plain: EmbeddedMapper(catalogDirectory: plain, cacheCapacity: 0)
        )
    }

    @Test func theReRankerAnswersMoreFamiliesAndLosesNoAnswer() throws {
        let bundled = try EmbeddedMapper.bundledCatalogDirectory(environment: [:])
        let plain = try catalogsWithoutPenalties()
        defer { try? FileManager.default.removeItem(at: plain) }
        let embedder = SemanticRerankerTests.ConstantEmbedder()
        try check(
            diverse: EmbeddedMapper(catalogDirectory: bundled, cacheCapacity: 0, embedder: embedder),
            plain: EmbeddedMapper(catalogDirectory: plain, cacheCapacity: 0, embedder: embedder)
        )
    }

    /// The penalised engine against the same catalogs without penalties: same top answer, as many answers for every
    /// threshold, descending similarities, at least as many families, and the order does not depend on `topk`.
    private func check(diverse: EmbeddedMapper, plain: EmbeddedMapper) throws {
        let texts = [
            "IAM user console sign-in without MFA", "Account password policy requires minimum length",
            "CloudTrail trail logging stopped", "Security group allows ingress from 0.0.0.0/0 to port 22",
        ]
        var gained = 0
        let thresholds: [MappingOptions.Threshold] = [
            .minSimilarity(0.01), .minSimilarity(0.35), .minConfidence(.low), .minConfidence(.medium),
        ]
        for framework in [FrameworkID.nist80053r5, .pciDSSv4, .nistCSFv2] {
            let catalog = framework.catalogName
            for threshold in thresholds {
                for topK in [1, 3, 10, 50] {
                    let options = MappingOptions(frameworks: [framework], threshold: threshold, topK: topK)
                    for text in texts {
                        let answers = try diverse.map([text], options: options)[0]
                        let before = try plain.map([text], options: options)[0]
                        let label = "\(framework) \(threshold) top \(topK): \(text)"
                        #expect(answers.first == before.first, "\(label)")
                        #expect(answers.count >= before.count, "\(label)")
                        #expect(zip(answers, answers.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
                        let families = { (matches: [ControlMatch]) in
                            Set(matches.map { FamilyDiversity.family(of: $0.controlID, catalog: catalog) })
                        }
                        #expect(families(answers).count >= families(before).count, "\(label)")
                        gained += families(answers).count - families(before).count
                        if topK < 50 {
                            let wide = MappingOptions(frameworks: [framework], threshold: threshold, topK: 50)
                            let longer = try diverse.map([text], options: wide)[0].map(\.controlID)
                            #expect(answers.map(\.controlID) == Array(longer.prefix(answers.count)), "\(label)")
                        }
                    }
                }
            }
        }
        #expect(gained > 0)
    }
}
