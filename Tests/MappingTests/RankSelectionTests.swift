import Foundation
import NetworkTestSupport
import Testing

@testable import Mapping

/// The ranking's shortcuts give exactly what scoring every candidate and sorting them gives: the bounded list of
/// best candidates, the similarity bound that skips hopeless ones, and the byte-level event type lookup.
@Suite struct RankSelectionTests {
    @Test(arguments: [0, 1, 3, 10, 50, 500])
    func boundedListKeepsTheBestInTotalOrder(limit: Int) {
        var generator = SplitMix64(seed: UInt64(limit) + 7)
        for round in 0..<40 {
            // Few distinct scores, so ties (broken by index) are common.
            let entries: [TopCandidates.Entry] = (0..<(round * 7)).map { index in
                (index, Float(Int.random(in: 0..<12, using: &generator)) / 4, 0)
            }
            let expected = entries.sorted { TopCandidates.ranksBefore($0.score, $0.index, $1) }.prefix(limit)
            for arrival in [entries, entries.reversed(), entries.shuffled(using: &generator)] {
                var best = TopCandidates(limit: limit)
                arrival.forEach { best.offer($0) }
                let kept = best.sorted()
                #expect(kept.map(\.index) == expected.map(\.index), "limit \(limit), round \(round)")
                #expect(kept.map(\.score) == expected.map(\.score))
            }
        }
    }

    @Test func similarityBoundIsNeverBelowTheSimilarity() {
        var scores: [Float] = [-1, 0, .leastNonzeroMagnitude, 1e-6, 1e-3, 0.2, 0.2000001, 1_000]
        scores.append(.greatestFiniteMagnitude)
        scores += (0...40_000).map { Float($0) / 200 }
        for score in scores {
            let similarity = Float(SimilarityCalibration.similarity(score: score))
            #expect(similarity <= SimilarityCalibration.similarityBound(score: score), "score \(score)")
        }
        // The bound is useful: close to the similarity where most candidates score.
        let gap = SimilarityCalibration.similarityBound(score: 4) - Float(SimilarityCalibration.similarity(score: 4))
        #expect(gap < 0.01)
    }

    @Test(arguments: FrameworkID.defaultSet)
    func rankingEqualsSortingEveryCandidate(_ framework: FrameworkID) throws {
        let mapper = try loadMapper()
        let index = try #require(mapper.indexes[framework.catalogName])
        let texts = [
            "Root account signed in to the console without MFA",
            "S3 bucket policy allows public read access to objects",
            "CloudTrail trail logging was stopped by an IAM user",
            "Security group allows unrestricted SSH ingress from 0.0.0.0/0",
            "KMS key scheduled for deletion; encryption at rest disabled",
            "access", "zzqx",
        ]
        var generator = SplitMix64(seed: 11)
        for text in texts {
            let query = QueryTerms(text, lexicon: mapper.lexicon, vocabulary: mapper.vocabulary)
            let boosts = (0..<index.count).map { _ in Float.random(in: 0..<0.3, using: &generator) }
            let include = (0..<5).map { _ in Int32.random(in: 0..<Int32(index.count), using: &generator) }
            // With room for every candidate nothing is skipped: the reference ranking.
            let all = index.rank(query, limit: index.count + include.count, boosts: boosts, include: include)
            for limit in [1, 4, 11, 50] {
                let top = index.rank(query, limit: limit, boosts: boosts, include: include)
                #expect(top.map(\.index) == all.prefix(limit).map(\.index), "\(framework) \(text) \(limit)")
                #expect(top.map(\.score) == all.prefix(limit).map(\.score))
                #expect(top.map(\.lexical) == all.prefix(limit).map(\.lexical))
            }
        }
    }

    @Test func eventTypesAreFoundByTheirBytesAsByTheirCandidates() throws {
        let types = ["stoplogging", "recon:ec2/portscan", "recon", "user.session", "user", "create pods/exec",
                     "* secrets", "* \u{301}pods/exec", "createfunction", "straße", "compute.firewalls.insert",
                     "setiampolicy", "microsoft.storage/storageaccounts"]
        let hints = [
            ("cloudtrail", "StopLogging"), ("cloudtrail", "StopLogging20150331v2"),
            ("cloudtrail", "CreateFunction20150331"),
            ("cloudtrail", "STOPLOGGING"), ("guardduty", "Recon:EC2/Portscan.B!DNS"), ("guardduty", "Recon:IAMUser/X"),
            ("guardduty", ":x"), ("okta", "user.session.start"), ("okta", "user"), ("k8s-audit", "create pods/exec"),
            ("k8s-audit", "get secrets"), ("k8s-audit", "get"), ("cloudtrail", "STRASSE"), ("cloudtrail", "Straße"),
            ("cloudtrail", "StRAßE"), ("cloudtrail", ""),
            // A separator followed by a combining mark is one character, not a cut point.
            ("guardduty", "Recon:EC2/Portscan.\u{301}"), ("okta", "user.session.\u{200D}x"),
            ("k8s-audit", "create \u{301}pods/exec"), ("gcp-audit", "v1.compute.firewalls.insert"),
            ("gcp-audit", "beta.compute.firewalls.insert"), ("gcp-audit", "google.cloud.run.v1.Services.SetIamPolicy"),
            ("gcp-audit", "v1.compute.firewalls.get"), ("gcp-audit", "café.v1.SetIamPolicy"),
            ("azure-activity", "Microsoft.Storage/storageAccounts/listKeys/action"),
            ("azure-activity", "Microsoft.Storage"), ("azure-activity", "Microsoft.Storage/storageAccounts\u{301}/x"),
        ]
        for (source, type) in hints {
            let table = EventTypeTable(source: source, types: types)
            var bytes = type
            let found = bytes.withUTF8 { table.key(of: $0) }
            let expected = EventPriors.candidates(source: source, type: type).first(where: types.contains)
            #expect(found == expected.map { EventPriors.key(source: source, type: $0) }, "\(source) \(type)")
        }
    }
}
