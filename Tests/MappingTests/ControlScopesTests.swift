import Foundation
import Testing

@testable import Mapping

@Suite struct ControlScopesTests {
    /// PCI requirements for (multi-tenant) service providers, POS terminals, issuers, wireless networks and keyed
    /// hashes.
    static func isEntityScoped(_ id: String) -> Bool {
        let exact: Set = ["3.3.3", "3.5.1.1", "3.6.1.1", "8.2.3", "1.3.3", "4.2.1.2", "10.7.1", "11.4.6", "11.4.7"]
        let families = [
            "A1.", "A2.", "2.3.", "11.2.", "8.3.10", "11.5.1.1", "12.4.", "12.5.2.1", "12.5.3", "12.9.",
        ]
        return exact.contains(id) || families.contains { id.hasPrefix($0) }
    }

    @Test(arguments: [
        "S3 bucket made public",
        "S3 general purpose buckets should block public read access",
        "RDS snapshot is shared with another AWS account and is not encrypted",
        "KMS customer managed key scheduled for deletion",
        "AWS kms.amazonaws.com ScheduleKeyDeletion by IAMUser",
        "ACM certificate deleted from the load balancer listener",
        "Customer data exported from the production database",
        "OIDC token issuer does not match expected issuer",
        "Cross-tenant access settings changed in Entra ID",
        "Kubernetes namespace for tenant team-a created",
        "RDP connection to Windows Terminal Server negotiated TLS 1.0",
        "Pass-the-hash attack detected using NTLM hash",
        "Malware detected, file hash 44d88612fea8a8f36de82e1278abb02f",
    ])
    func entityScopedRequirementsNeedTheEntityInTheText(text: String) throws {
        let answers = try topControls(text, .pciDSSv4, topK: 50)
        #expect(!answers.isEmpty)
        #expect(answers.filter(Self.isEntityScoped).isEmpty, "\(text): \(answers)")
    }

    @Test(arguments: [
        ("Multi-tenant hosting provider isolates customer environments", "A1.1."),
        ("Multi-tenant hosting: tenant audit logs are not available to each customer", "A1.2."),
        ("Service provider covert malware communication channel detected (DNS tunneling)", "11.5.1.1"),
        ("Card issuer stores sensitive authentication data after authorization", "3.3.3"),
        ("Rogue wireless access point detected", "11.2."),
        ("Stored PANs are protected with a keyed hash", "3.5.1.1"),
        ("POS payment terminal still accepts early TLS", "A2.1."),
    ])
    func aTextNamingTheEntityGetsThem(text: String, expected: String) throws {
        let answers = try topControls(text, .pciDSSv4, topK: 3)
        #expect(answers.contains { $0.hasPrefix(expected) }, "\(text): \(answers)")
    }

    @Test func aParentStillInheritsFromItsScopedSubRequirement() throws {
        // 3.5.1 (PAN unreadable) covers hashing; only its keyed-hash sub-requirement is scoped.
        let answers = try topControls("PAN rendered unreadable with one-way hashes of the entire PAN", .pciDSSv4)
        #expect(answers.contains("3.5.1"), "\(answers)")
    }

    @Test func wordsAVocabularyExpansionAddsDoNotUnlock() throws {
        let mapper = try loadMapper()
        let query = QueryTerms("tenant", lexicon: mapper.lexicon, vocabulary: mapper.vocabulary)
        let scopes = try ControlScopes(
            fields: ["8.3.10=tenant"],
            ids: mapper.controlIDs(for: .pciDSSv4),
            catalog: "pci_dss_v4",
            lexicon: mapper.lexicon,
            vocabulary: mapper.vocabulary
        )
        var expanded = query
        expanded.weights = expanded.weights.map { _ in QueryTerms.expansionWeight }
        let control = try #require(mapper.controlIDs(for: .pciDSSv4).firstIndex(of: "8.3.10.1"))
        #expect(scopes.admits(control, unlocked: scopes.unlocked(by: query)))
        #expect(!scopes.admits(control, unlocked: scopes.unlocked(by: expanded)))
        let unscoped = try #require(mapper.controlIDs(for: .pciDSSv4).firstIndex(of: "8.3.1"))
        #expect(scopes.admits(unscoped, unlocked: 0))
    }

    @Test(arguments: [
        ("A1", "is not IDS=PHRASES"),
        ("A1=", "is not IDS=PHRASES"),
        ("=tenant", "is not IDS=PHRASES"),
        ("A9=tenant", "covers no control"),
        ("A1=zzqxv", "has a word no catalogue uses"),
        ("A1=the", "has a word no catalogue uses"),
    ])
    func aMalformedScopeStopsStartUp(field: String, message: String) throws {
        try expectRejected(scopeLine: "#scope\t\(field)", message: message)
    }

    @Test func aControlInTwoScopesStopsStartUp() throws {
        try expectRejected(scopeLine: "#scope\tA1=tenant\tA1.1=hosting provider", message: "is in two #scope fields")
    }

    /// Loads the bundled catalogues with PCI's `#scope` line replaced and expects `catalog_invalid`.
    private func expectRejected(scopeLine: String, message: String) throws {
        let directory = try bundledCatalogCopy("scope")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("pci_dss_v4.tsv")
        let text = try String(contentsOf: file, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains { $0.hasPrefix("#scope\t") }, "the bundled PCI catalogue declares scopes")
        let replaced = lines.map { $0.hasPrefix("#scope\t") ? Substring(scopeLine) : $0 }
        try replaced.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try EmbeddedMapper(catalogDirectory: directory, cacheCapacity: 0)
            Issue.record("\(scopeLine) was accepted")
        } catch let error as MappingError {
            #expect(error.code == .catalogInvalid)
            #expect(error.message.contains("pci_dss_v4.tsv"), "\(error.message)")
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}

@Suite struct OrganisationEntityTests {
    @Test func anOrganisationGetsTheRequirementsOfWhatItIsForEveryText() throws {
        let directory = try EmbeddedMapper.bundledCatalogDirectory(environment: [:])
        let options = MappingOptions(frameworks: [.pciDSSv4], threshold: .minSimilarity(0.01), topK: 50)
        let text = "Customer data exported from the production database"
        func answers(_ entities: [String]) throws -> [String] {
            let mapper = try EmbeddedMapper(catalogDirectory: directory, cacheCapacity: 0, entities: entities)
            return try mapper.map([text], options: options)[0].map(\.controlID)
        }
        let provider = try answers(["Service  Provider"])
        #expect(provider.contains { $0.hasPrefix("8.3.10") || $0.hasPrefix("12.9.") }, "\(provider)")
        #expect(!provider.contains { $0.hasPrefix("A1.") }, "A1 binds multi-tenant providers only: \(provider)")
        #expect(!provider.contains { $0.hasPrefix("11.2.") }, "wireless stays scoped: \(provider)")
        let host = try answers(["multi-tenant"])
        #expect(host.contains { $0.hasPrefix("A1.") }, "\(host)")
        #expect(host.contains { $0.hasPrefix("8.3.10") || $0.hasPrefix("12.9.") }, "\(host)")
        let plain = try topControls(text, .pciDSSv4, topK: 50)
        #expect(!plain.contains(where: ControlScopesTests.isEntityScoped), "\(plain)")
    }

    /// An entity is one of the phrases, not any text that contains one.
    @Test(arguments: ["tenant", "not a wireless network", "provider", "hash"])
    func anEntityMustBeOneOfThePhrases(entity: String) throws {
        let directory = try EmbeddedMapper.bundledCatalogDirectory(environment: [:])
        #expect(throws: MappingError.self) {
            _ = try EmbeddedMapper(catalogDirectory: directory, cacheCapacity: 0, entities: [entity])
        }
    }

    @Test func anEntityThatNamesNoScopeStopsStartUp() throws {
        let directory = try EmbeddedMapper.bundledCatalogDirectory(environment: [:])
        do {
            _ = try EmbeddedMapper(catalogDirectory: directory, cacheCapacity: 0, entities: ["merchant"])
            Issue.record("an unknown entity was accepted")
        } catch let error as MappingError {
            #expect(error.code == .unknownEntity)
            #expect(error.message.contains("\"merchant\""), "\(error.message)")
            #expect(error.message.contains("service provider"), "the message lists what is known: \(error.message)")
        }
    }
}
