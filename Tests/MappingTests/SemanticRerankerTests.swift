import Foundation
import Synchronization
import Testing

@testable import Mapping

/// The semantic re-ranker's wiring in the engine, with a stand-in embedder (the model itself is exercised by
/// Tests/SemanticTests/RerankerParityTests).
@Suite struct SemanticRerankerTests {
    /// Returns the same unit vector for every text and counts the texts it was asked for.
    final class ConstantEmbedder: TextEmbedder {
        let dimension: Int
        let requested = Mutex<[String]>([])

        init(dimension: Int = 384) {
            self.dimension = dimension
        }

        func embed(_ texts: [String]) -> [[Float]] {
            requested.withLock { $0 += texts }
            var vector = [Float](repeating: 0, count: dimension)
            vector[0] = 1
            return texts.map { _ in vector }
        }
    }

    static let catalogs = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Mapping/Catalogs")

    @Test func reRankedAnswersAreEngineCandidatesInDescendingSimilarity() throws {
        let embedder = ConstantEmbedder()
        let mapper = try EmbeddedMapper(catalogDirectory: Self.catalogs, embedder: embedder)
        #expect(mapper.usesSemanticReranker)
        let lexical = try EmbeddedMapper(catalogDirectory: Self.catalogs)
        #expect(!lexical.usesSemanticReranker)
        let options = MappingOptions(frameworks: FrameworkID.defaultSet, threshold: .minSimilarity(0.01), topK: 5)
        let text = "Root account used without multi-factor authentication"
        let reranked = try mapper.map([text], options: options)[0]
        let wide = MappingOptions(frameworks: FrameworkID.defaultSet, threshold: .minSimilarity(0.01), topK: 50)
        let candidates = Set(try lexical.map([text], options: wide)[0].map { "\($0.frameworkID)/\($0.controlID)" })
        for framework in FrameworkID.defaultSet {
            let answers = reranked.filter { $0.frameworkID == framework }
            #expect(!answers.isEmpty)
            #expect(answers.allSatisfy { candidates.contains("\($0.frameworkID)/\($0.controlID)") })
            #expect(zip(answers, answers.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
        }
    }

    @Test func aTextIsEmbeddedOnceAcrossOptionsAndBatches() throws {
        let embedder = ConstantEmbedder()
        let mapper = try EmbeddedMapper(catalogDirectory: Self.catalogs, embedder: embedder)
        let text = "S3 bucket policy allows public read access"
        _ = try mapper.map([text, text, "CloudTrail logging stopped"], options: MappingOptions(topK: 3))
        _ = try mapper.map([text], options: MappingOptions(topK: 7))
        #expect(embedder.requested.withLock { $0.sorted() } == ["CloudTrail logging stopped", text])
    }

    @Test func missingArtifactsOrAnotherDimensionAreCatalogErrors() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("lakemark-rr-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.catalogs, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        #expect(throws: MappingError.self) {
            try EmbeddedMapper(catalogDirectory: copy, embedder: ConstantEmbedder(dimension: 8))
        }
        try FileManager.default.removeItem(at: copy.appendingPathComponent(SemanticReranker.directoryName))
        do {
            _ = try EmbeddedMapper(catalogDirectory: copy, embedder: ConstantEmbedder())
            Issue.record("loaded without re-ranker files")
        } catch let error as MappingError {
            #expect(error.code == .catalogInvalid)
            #expect(error.message.contains("re-ranker"))
        }
        // Without an embedder the same directory loads: the engine works unchanged without the model.
        #expect(try EmbeddedMapper(catalogDirectory: copy).controlCount(for: .nist80053r5) > 1000)
    }

    /// TSC's artifacts say `#unfamiliar engine`: a text far from its top answer's prototype (every text, with this
    /// embedder's constant vector) keeps the lexical engine's SOC 2 answers; the other catalogues re-order it.
    @Test func anUnfamiliarTextKeepsTheEngineAnswersWhereTheArtifactsSaySo() throws {
        let mapper = try EmbeddedMapper(catalogDirectory: Self.catalogs, embedder: ConstantEmbedder())
        let lexical = try EmbeddedMapper(catalogDirectory: Self.catalogs)
        #expect(mapper.rerankers.filter(\.value.unfamiliarKeepsEngine).map(\.key) == ["tsc_2017"])
        let texts = [
            "AWS ec2.amazonaws.com CreateSnapshot", "Okta user account lock", "Kubernetes get secrets by admin",
            "S3 bucket policy allows public read access",
        ]
        for topK in [1, 3, 10] {
            let options = MappingOptions(frameworks: [.soc2, .aicpaTSC], threshold: .minSimilarity(0.01), topK: topK)
            #expect(try mapper.map(texts, options: options) == lexical.map(texts, options: options), "topk \(topK)")
        }
        let pci = MappingOptions(frameworks: [.pciDSSv4], threshold: .minSimilarity(0.01), topK: 3)
        #expect(try mapper.map(texts, options: pci) != lexical.map(texts, options: pci), "PCI is re-ordered")

        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("lakemark-rr-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.catalogs, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let table = copy.appendingPathComponent(SemanticReranker.directoryName).appendingPathComponent("tsc_2017.tsv")
        let original = try String(contentsOf: table, encoding: .utf8)
        try original.replacingOccurrences(of: "#unfamiliar\tengine", with: "#unfamiliar\tcapped")
            .write(to: table, atomically: true, encoding: .utf8)
        let capped = try EmbeddedMapper(catalogDirectory: copy, embedder: ConstantEmbedder())
        #expect(capped.rerankers.allSatisfy { !$0.value.unfamiliarKeepsEngine })
        try original.replacingOccurrences(of: "#unfamiliar\tengine", with: "#unfamiliar\tlexical")
            .write(to: table, atomically: true, encoding: .utf8)
        #expect(throws: MappingError.self) { try EmbeddedMapper(catalogDirectory: copy, embedder: ConstantEmbedder()) }
    }

    @Test func theTopProbabilityMapsOntoTheConfidenceBuckets() throws {
        let mapper = try EmbeddedMapper(catalogDirectory: Self.catalogs, embedder: ConstantEmbedder())
        for (name, reranker) in mapper.rerankers {
            for moved in [false, true] {
                func similarity(_ probability: Double) -> Double {
                    reranker.similarity(probability: probability, moved: moved, engineSimilarity: 1, prototypeCosine: 1)
                }
                let similarities = stride(from: 0.0, through: 1.0, by: 0.01).map(similarity)
                #expect(zip(similarities, similarities.dropFirst()).allSatisfy { $0 <= $1 }, "\(name) is monotone")
                if let high = moved ? reranker.movedHighProbability : reranker.highProbability {
                    #expect(similarity(high) >= 0.70 - 1e-9)
                    #expect(similarity(max(high - 1e-6, 0)) < 0.70)
                } else {
                    #expect(similarities.allSatisfy { $0 < 0.70 }, "\(name) has no High bucket")
                }
                if let medium = moved ? reranker.movedMediumProbability : reranker.mediumProbability {
                    #expect(similarity(medium) >= 0.50 - 1e-9)
                }
                // An answer the engine rates Very Low is never High.
                #expect(
                    reranker.similarity(probability: 1, moved: moved, engineSimilarity: 0.29, prototypeCosine: 1) < 0.70
                )
                // Nor is one whose prototype the text is farther from than the training texts' 5 % quantile.
                #expect(reranker.familiarity > 0 && reranker.familiarity < 1, "\(name) familiarity")
                let unfamiliar = reranker.familiarity - 0.01
                #expect(
                    reranker.similarity(probability: 1, moved: moved, engineSimilarity: 1, prototypeCosine: unfamiliar)
                        < 0.70
                )
            }
        }
    }
}
