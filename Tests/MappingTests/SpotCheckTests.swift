import NetworkTestSupport
import Testing

@testable import Mapping

/// The auditor spot checks (`Tests/Fixtures/auditor_spot_checks.jsonl`) through the lexical engine: every High
/// answer, at any rank, must be a control the check accepts.
@Suite struct SpotCheckTests {
    /// The frameworks the spot checks list.
    static let frameworks: [FrameworkID] = [.nist80053r5, .nistCSFv2, .pciDSSv4, .iso27001, .soc2]

    /// The High answers (at any rank of the top 10) the checks do not accept, and the number of High answers.
    /// - Parameter mapper: The engine to ask.
    static func rejectedHighAnswers(_ mapper: EmbeddedMapper) throws -> (rejected: [String], high: Int) {
        let checks = AuditorSpotCheck.all
        let options = MappingOptions(frameworks: frameworks, threshold: .minSimilarity(0.01), topK: 10)
        let answers = try mapper.map(checks.map(\.text), options: options)
        let high = answers.map { matches in
            matches.filter { $0.confidence == .high }
                .map { (framework: $0.frameworkID.rawValue, controlID: $0.controlID) }
        }
        return (zip(checks, high).flatMap { $0.rejected($1) }, high.map(\.count).reduce(0, +))
    }

    @Test func fixtureHoldsThirtyChecksWithEveryFramework() {
        #expect(AuditorSpotCheck.all.count >= 30)
        for check in AuditorSpotCheck.all {
            #expect(Set(check.accepted.keys) == Set(AuditorSpotCheck.frameworkKeys), "\(check.text)")
        }
    }

    @Test func acceptanceCoversEnhancementsOnly() throws {
        let check = try #require(AuditorSpotCheck.all.first)
        let id = try #require(check.accepted["nist_800_53_r5"]?.first)
        #expect(check.accepts(id + "(1)", framework: "nist_800_53_r5"))
        #expect(!check.accepts(id + "0", framework: "nist_800_53_r5"))
        #expect(!check.accepts(id, framework: "unknown"))
    }

    @Test func everyHighAnswerIsAccepted() throws {
        let (rejected, high) = try Self.rejectedHighAnswers(loadMapper())
        #expect(rejected.isEmpty, "\(rejected)")
        // The check is not vacuous: the lexical engine answers some of these texts with High.
        #expect(high >= 1)
    }
}
