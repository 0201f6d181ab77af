import Testing

@testable import Mapping

/// Sanity cases: typical findings and CloudTrail-style texts must reach the obvious controls.
@Suite struct MappingQualityTests {
    private func anyMatches(_ ids: [String], _ pattern: String) throws -> Bool {
        let regex = try Regex(pattern)
        return ids.contains { (try? regex.wholeMatch(in: $0)) != nil }
    }

    @Test func rootLoginWithoutMFA() throws {
        let text = "Root account login detected without MFA"
        let nist = try topControls(text, .nist80053r5)
        #expect(try anyMatches(nist, #"IA-2(\(\d+\))?"#), "\(nist)")
        let pci = try topControls(text, .pciDSSv4)
        #expect(try anyMatches(pci, #"8\.4\.\d"#), "\(pci)")
    }

    @Test(arguments: [
        ("S3 bucket allows public read access", FrameworkID.nist80053r5, #"AC-3|AC-4|AC-6|AC-21|AC-22|SC-7(\(\d+\))?"#),
        ("S3 bucket allows public read access", .pciDSSv4, #"1\.4\.4|1\.3\.1|7\.2\.\d|7\.3\.\d"#),
        ("S3 bucket allows public read access", .iso27001, #"A\.8\.3|A\.5\.15|A\.8\.12|A\.8\.20"#),
        ("CloudTrail logging was stopped", .nist80053r5, #"AU-(2|5|6|9|12)(\(\d+\))?"#),
        ("cloudtrail.amazonaws.com StopLogging", .pciDSSv4, #"10\.2\.1(\.\d)?|10\.7\.\d"#),
        ("cloudtrail.amazonaws.com StopLogging", .iso27001, #"A\.8\.15|A\.8\.16"#),
        ("cloudtrail.amazonaws.com StopLogging", .soc2, #"CC7\.2|CC7\.1"#),
        ("Security group allows ingress from 0.0.0.0/0 to port 22", .nist80053r5, #"(SC-7|AC-17)(\(\d+\))?|CM-7"#),
        ("Security group allows ingress from 0.0.0.0/0 to port 22", .pciDSSv4, #"1\.[2-4]\.\d"#),
        ("Security group allows ingress from 0.0.0.0/0 to port 22", .soc2, #"CC6\.6|CC6\.1"#),
        ("signin ConsoleLogin without MFA", .nist80053r5, #"IA-2(\(\d+\))?"#),
        ("signin ConsoleLogin without MFA", .iso27001, #"A\.8\.5"#),
        ("iam.amazonaws.com CreateAccessKey", .nist80053r5, #"IA-5(\(\d+\))?|AC-2(\(\d+\))?|IA-4"#),
        ("EBS volume is not encrypted at rest", .nist80053r5, #"SC-28(\(\d+\))?|SC-13|SC-12"#),
        ("EBS volume is not encrypted at rest", .pciDSSv4, #"3\.5\.1(\.\d)?"#),
        ("EBS volume is not encrypted at rest", .soc2, #"CC6\.1|CC6\.7|C1\.1"#),
        ("KMS key rotation is not enabled", .pciDSSv4, #"3\.6\.\d(\.\d)?|3\.7\.\d"#),
        ("KMS key rotation is not enabled", .nist80053r5, #"SC-12(\(\d+\))?"#),
        ("IAM password policy does not require minimum length of 14", .nist80053r5, #"IA-5(\(\d+\))?"#),
        ("IAM password policy does not require minimum length of 14", .pciDSSv4, #"8\.3\.\d+"#),
        ("GuardDuty is not enabled in the region", .nist80053r5, #"SI-4(\(\d+\))?|IR-4(\(\d+\))?|RA-10"#),
        ("GuardDuty is not enabled in the region", .pciDSSv4, #"11\.5\.1(\.\d)?|10\.4\.1(\.\d)?"#),
        ("Load balancer listener uses an outdated TLS policy", .pciDSSv4, #"4\.2\.1(\.\d)?|2\.2\.7"#),
        ("Load balancer listener uses an outdated TLS policy", .nist80053r5, #"SC-8(\(\d+\))?|SC-13|SC-23"#),
        ("RDS instance has automated backups disabled", .soc2, #"A1\.2|A1\.3|CC9\.1"#),
        ("RDS instance has automated backups disabled", .iso27001, #"A\.8\.13"#),
        ("Unused IAM access keys older than 90 days", .pciDSSv4, #"8\.2\.6|8\.3\.9|8\.6\.3"#),
    ])
    func sanity(_ text: String, _ framework: FrameworkID, _ pattern: String) throws {
        let ids = try topControls(text, framework)
        #expect(try anyMatches(ids, pattern), "\(text) -> \(framework.rawValue): \(ids)")
    }

    @Test func unknownTextMapsToNothing() throws {
        let options = MappingOptions(frameworks: FrameworkID.allCases)
        let matches = try loadMapper().map(["zzqx qqzz 12345"], options: options)
        #expect(matches == [[]])
    }

    @Test func resultsFollowInputOrderAndTopK() throws {
        let texts = ["KMS key rotation is not enabled", "Root account login detected without MFA", ""]
        let options = MappingOptions(frameworks: [.pciDSSv4, .iso27001], threshold: .minSimilarity(0.01), topK: 2)
        let results = try loadMapper().map(texts, options: options)
        #expect(results.count == 3)
        #expect(results[2].isEmpty)
        for result in results.prefix(2) {
            #expect(result.count == 4)
            #expect(result.map(\.frameworkID) == [.pciDSSv4, .pciDSSv4, .iso27001, .iso27001])
            #expect(result[0].similarity >= result[1].similarity)
            #expect(result[2].similarity >= result[3].similarity)
        }
        #expect(results[0] != results[1])
    }

    @Test func higherScoresGiveHigherSimilarity() {
        var previous = 0.0
        for step in 1...200 {
            let similarity = SimilarityCalibration.similarity(score: Float(step) / 2)
            #expect(similarity > previous)
            #expect(similarity >= 0.01 && similarity <= 1.0)
            previous = similarity
        }
        #expect(SimilarityCalibration.similarity(score: 0) == 0.01)
        #expect(SimilarityCalibration.similarity(score: -3) == 0.01)
        #expect(Confidence.bucket(forSimilarity: SimilarityCalibration.similarity(score: 30)) == .high)
        #expect(Confidence.bucket(forSimilarity: SimilarityCalibration.similarity(score: 3)) == .veryLow)
    }
}
