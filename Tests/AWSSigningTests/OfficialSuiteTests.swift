import AWSSigning
import Foundation
import Testing

/// The official AWS SigV4 test suite in its two public copies, from the shared folder (every case) and from the
/// fixtures bundled with this target (a few cases, so a clone without the shared folder still runs them).
@Suite struct OfficialSuiteTests {
    static let sharedClassicCases =
        VectorLocations.shared.map {
            ClassicSuiteCase.all(in: $0.appendingPathComponent("botocore/aws4_testsuite"))
        } ?? []
    static let sharedCRTCases =
        VectorLocations.shared.map {
            CRTSuiteCase.all(in: $0.appendingPathComponent("aws-c-auth/aws-signing-test-suite/v4"))
        } ?? []
    static let bundledClassicCases = ClassicSuiteCase.all(
        in: VectorLocations.bundled.appendingPathComponent("botocore/aws4_testsuite")
    )
    static let bundledCRTCases = CRTSuiteCase.all(
        in: VectorLocations.bundled.appendingPathComponent("aws-c-auth/aws-signing-test-suite/v4")
    )

    @Test(
        "botocore aws4_testsuite (shared)",
        .enabled(if: VectorLocations.shared != nil, "\(VectorLocations.sharedMissing)"),
        arguments: sharedClassicCases
    )
    func sharedClassic(_ testCase: ClassicSuiteCase) throws {
        try testCase.check()
    }

    @Test(
        "aws-c-auth v4 header signing (shared)",
        .enabled(if: VectorLocations.shared != nil, "\(VectorLocations.sharedMissing)"),
        arguments: sharedCRTCases
    )
    func sharedCRTHeader(_ testCase: CRTSuiteCase) throws {
        try testCase.checkHeaderSigning()
    }

    @Test(
        "aws-c-auth v4 query signing (shared)",
        .enabled(if: VectorLocations.shared != nil, "\(VectorLocations.sharedMissing)"),
        arguments: sharedCRTCases
    )
    func sharedCRTQuery(_ testCase: CRTSuiteCase) throws {
        try testCase.checkQuerySigning()
    }

    @Test(
        "the shared suites are complete",
        .enabled(if: VectorLocations.shared != nil, "\(VectorLocations.sharedMissing)")
    )
    func sharedSuitesComplete() {
        #expect(Self.sharedClassicCases.count == 34)
        #expect(Self.sharedCRTCases.count == 38)
    }

    @Test("botocore aws4_testsuite (bundled fixtures)", arguments: bundledClassicCases)
    func bundledClassic(_ testCase: ClassicSuiteCase) throws {
        try testCase.check()
    }

    @Test("aws-c-auth v4 header signing (bundled fixtures)", arguments: bundledCRTCases)
    func bundledCRTHeader(_ testCase: CRTSuiteCase) throws {
        try testCase.checkHeaderSigning()
    }

    @Test("aws-c-auth v4 query signing (bundled fixtures)", arguments: bundledCRTCases)
    func bundledCRTQuery(_ testCase: CRTSuiteCase) throws {
        try testCase.checkQuerySigning()
    }

    @Test("the bundled fixtures are present")
    func bundledFixturesPresent() {
        #expect(Self.bundledClassicCases.count >= 5)
        #expect(Self.bundledCRTCases.count >= 5)
    }
}
