@testable import Mapping
import NetworkTestSupport
import Testing

/// The auditor spot checks (`Tests/Fixtures/auditor_spot_checks.jsonl`) through the engine with the semantic
/// re-ranker (the bundled artifacts and all-MiniLM-L6-v2): every High answer, at any rank, must be a control the
/// check accepts, except the wrong High answers listed in ``known`` (a limitation of the bundled re-ranker, kept so
/// that any other wrong High answer fails the test; remove an entry once it is fixed).
@Suite(.enabled(if: ModelFixture.available, ModelFixture.missing))
struct SpotCheckRerankerTests {
    /// Wrong High answers of the bundled re-ranker (`scripts/spot_check.py --model`). Both are also the lexical
    /// engine's top answer (Low or Medium there), which the re-ranker keeps with a high probability, for texts close
    /// enough to the answer's training texts to pass the familiarity floor. Their cause is not fixed.
    static let known: Set<String> = [
        "Hard-coded AWS secret key found in Lambda environment variables -> nist_800_53_r5: AU-9(3)",
        "Security group rule added allowing RDP 3389 from any IPv4 address -> pci_dss_v4: 1.2.8",
    ]

    @Test func everyHighAnswerIsAcceptedOrKnown() throws {
        let mapper = try #require(RerankerParityTests.mapper)
        let checks = AuditorSpotCheck.all
        #expect(checks.count >= 30)
        let frameworks: [FrameworkID] = [.nist80053r5, .nistCSFv2, .pciDSSv4, .iso27001, .soc2]
        let options = MappingOptions(frameworks: frameworks, threshold: .minSimilarity(0.01), topK: 10)
        let high = try mapper.map(checks.map(\.text), options: options).map { matches in
            matches.filter { $0.confidence == .high }
                .map { (framework: $0.frameworkID.rawValue, controlID: $0.controlID) }
        }
        let rejected = Set(zip(checks, high).flatMap { $0.rejected($1) })
        #expect(rejected.isSubset(of: Self.known), "\(rejected.subtracting(Self.known).sorted())")
        // The check is not vacuous: the re-ranker answers a good share of these texts with High (25 of 165 answers
        // since the familiarity floor).
        #expect(high.map(\.count).reduce(0, +) >= 20)
    }
}
