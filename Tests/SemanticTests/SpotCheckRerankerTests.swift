@testable import Mapping
import NetworkTestSupport
import Testing

/// The auditor spot checks (`Tests/Fixtures/auditor_spot_checks.jsonl`) through the engine with the semantic
/// re-ranker (the bundled artifacts and all-MiniLM-L6-v2): every High answer, at any rank, must be a control the
/// check accepts.
@Suite(.enabled(if: ModelFixture.available, ModelFixture.missing))
struct SpotCheckRerankerTests {
    @Test func everyHighAnswerIsAccepted() throws {
        let mapper = try #require(RerankerParityTests.mapper)
        let checks = AuditorSpotCheck.all
        #expect(checks.count >= 30)
        let frameworks: [FrameworkID] = [.nist80053r5, .nistCSFv2, .pciDSSv4, .iso27001, .soc2]
        let options = MappingOptions(frameworks: frameworks, threshold: .minSimilarity(0.01), topK: 10)
        let high = try mapper.map(checks.map(\.text), options: options).map { matches in
            matches.filter { $0.confidence == .high }
                .map { (framework: $0.frameworkID.rawValue, controlID: $0.controlID) }
        }
        let rejected = zip(checks, high).flatMap { $0.rejected($1) }
        #expect(rejected.isEmpty, "\(rejected)")
        // The check is not vacuous: the re-ranker answers a good share of these texts with High.
        #expect(high.map(\.count).reduce(0, +) >= 10)
    }
}
