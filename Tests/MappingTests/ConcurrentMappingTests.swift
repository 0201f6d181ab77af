import Testing

@testable import Mapping

/// Many tasks sharing one mapper (and its cache) get the same answers as a single caller.
@Suite struct ConcurrentMappingTests {
    @Test func concurrentCallsAgreeWithSequentialOnes() async throws {
        let directory = try EmbeddedMapper.bundledCatalogDirectory()
        let mapper = try EmbeddedMapper(catalogDirectory: directory, cacheCapacity: 8)
        let texts = [
            "Root account login detected without MFA", "S3 bucket allows public read access",
            "CloudTrail logging was stopped", "KMS key rotation is not enabled", "GuardDuty finding: port probe",
            "Security group allows ingress from 0.0.0.0/0 to port 22", "IAM password policy is weak",
        ]
        let options = MappingOptions(frameworks: [.pciDSSv4, .nist80053r5], threshold: .minSimilarity(0.01))
        let expected = try loadMapper().map(texts, options: options)
        try await withThrowingTaskGroup(of: [[ControlMatch]].self) { group in
            for worker in 0..<6 {
                group.addTask {
                    var result: [[ControlMatch]] = []
                    for round in 0..<20 {
                        let shift = (worker + round) % texts.count
                        let rotated = Array(texts[shift...] + texts[..<shift])
                        let mapped = try mapper.map(rotated, options: options)
                        result = Array(mapped[(texts.count - shift)...] + mapped[..<(texts.count - shift)])
                    }
                    return result
                }
            }
            for try await result in group {
                #expect(result == expected)
            }
        }
    }
}
