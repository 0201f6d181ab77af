import Foundation
@testable import Mapping
import Semantic
import Testing

/// The Swift re-ranker (`Mapping.SemanticReranker`) against the Python fit: `scripts/build_reranker.py --parity`
/// writes `Fixtures/reranker_parity.jsonl` (per text written for the check and catalogue: the candidates the engine
/// built from all labels ranks, the Python features, the re-ranked order and the top-1 probability) next to the
/// bundled artifacts.
@Suite(.enabled(if: ModelFixture.available, ModelFixture.missing))
struct RerankerParityTests {
    /// The native encoder as the engine's embedder.
    struct Embedder: TextEmbedder {
        let encoder: SentenceEncoder
        var dimension: Int { encoder.dimension }
        func embed(_ texts: [String]) -> [[Float]] { encoder.embed(texts) }
    }

    /// One parity case.
    struct Case: Decodable {
        let catalog: String
        let framework: String
        let text: String
        let candidates: [[Candidate]]
        let features: [[Double]]
        /// The Python scorer's value of each candidate, parallel to ``candidates``.
        let scores: [Double]
        let order: [String]
        /// The re-ranked order with the family penalty of the bundled `priors.tsv` (`#diversity_reranked`).
        let diverseOrder: [String]
        let probability: Double

        /// Whether an order is the Python one but for candidates whose scorer values differ by less than
        /// ``Case/tieTolerance`` (Swift scores in `Float`, NumPy in `Double`: such near-ties may fall either way).
        func matchesUpToTies(_ swift: [String], _ python: [String]) -> Bool {
            guard swift.count == python.count else {
                return false
            }
            var score: [String: Double] = [:]
            for (row, value) in zip(candidates, scores) {
                if case .id(let id) = row.first {
                    score[id] = value
                }
            }
            return zip(swift, python).allSatisfy { a, b in
                guard a != b else {
                    return true
                }
                guard let x = score[a], let y = score[b] else {
                    return false
                }
                return abs(x - y) < Case.tieTolerance
            } && Set(swift) == Set(python)
        }

        /// Scorer values closer than this are a tie.
        static let tieTolerance = 1e-4

        enum CodingKeys: String, CodingKey {
            case catalog, framework, text, candidates, features, scores, order, probability
            case diverseOrder = "diverse_order"
        }
    }

    /// An id or a number of a candidate row (`[id, fused, lex]`).
    enum Candidate: Decodable {
        case id(String)
        case number(Double)

        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let text = try? value.decode(String.self) {
                self = .id(text)
            } else {
                self = .number(try value.decode(Double.self))
            }
        }

        var id: String? { if case .id(let text) = self { text } else { nil } }
        var number: Double? { if case .number(let value) = self { value } else { nil } }
    }

    static let cases: [Case] = {
        let path = ModelFixture.repositoryRoot
            .appendingPathComponent("Tests/SemanticTests/Fixtures/reranker_parity.jsonl")
        guard let text = try? String(contentsOf: path, encoding: .utf8) else {
            return []
        }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Case.self, from: Data($0.utf8)) }
    }()

    static let mapper: EmbeddedMapper? = ModelFixture.encoder.flatMap { encoder in
        try? EmbeddedMapper(
            catalogDirectory: ModelFixture.repositoryRoot.appendingPathComponent("Sources/Mapping/Catalogs"),
            embedder: Embedder(encoder: encoder)
        )
    }

    @Test func featuresOrderAndProbabilityMatchThePythonFit() throws {
        let mapper = try #require(Self.mapper)
        let encoder = try #require(ModelFixture.encoder)
        #expect(Self.cases.count >= 10)
        for item in Self.cases {
            let reranker = try #require(mapper.rerankers[item.catalog])
            let ids = try #require(mapper.indexes[item.catalog]).ids
            let position = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let candidates = try item.candidates.map { row in
                SemanticReranker.Candidate(
                    index: try #require(row[0].id.flatMap { position[$0] }),
                    fused: Float(try #require(row[1].number)),
                    lexical: Float(try #require(row[2].number))
                )
            }
            let embedding = encoder.embed([item.text])[0]
            let features = reranker.features(candidates, embedding: embedding)
            #expect(features.count == item.features.count)
            for (swift, python) in zip(features, item.features) {
                for (name, (a, b)) in zip(SemanticReranker.featureNames, zip(swift, python)) {
                    #expect(abs(a - b) < 2e-3, "\(item.catalog) \(name): Swift \(a), Python \(b) for \(item.text)")
                }
            }
            let (order, _, probability, cosine) = reranker.rerank(candidates, embedding: embedding)
            let reordered = order.prefix(item.order.count).map { ids[candidates[$0].index] }
            #expect(item.matchesUpToTies(reordered, item.order), "\(item.catalog): \(reordered) \(item.text)")
            #expect(abs(probability - item.probability) < 2e-3)
            // The familiarity check reads the new top answer's prototype cosine.
            let top = try #require(order.first)
            #expect(cosine == features[top][SemanticReranker.prototypeFeature])
        }
    }

    /// The engine answers in the fit's order; where the catalogue leaves unfamiliar texts to the lexical engine
    /// (`#unfamiliar engine`) and the text is unfamiliar, it answers as the engine without the model does.
    @Test func theEngineAnswersInThePythonOrder() throws {
        let mapper = try #require(Self.mapper)
        let encoder = try #require(ModelFixture.encoder)
        let lexical = try EmbeddedMapper(
            catalogDirectory: ModelFixture.repositoryRoot.appendingPathComponent("Sources/Mapping/Catalogs")
        )
        #expect(Self.cases.count >= 10)
        var keptByTheEngine = 0
        for item in Self.cases {
            let framework = try #require(FrameworkID(rawValue: item.framework))
            let options = MappingOptions(frameworks: [framework], threshold: .minSimilarity(0.01), topK: 10)
            let answered = try mapper.map([item.text], options: options)[0].map(\.controlID)
            let reranker = try #require(mapper.rerankers[item.catalog])
            let position = Dictionary(
                try #require(mapper.indexes[item.catalog]).ids.enumerated().map { ($1, $0) },
                uniquingKeysWith: { a, _ in a }
            )
            let candidates = try item.candidates.map { row in
                SemanticReranker.Candidate(
                    index: try #require(row[0].id.flatMap { position[$0] }),
                    fused: Float(try #require(row[1].number)),
                    lexical: Float(try #require(row[2].number))
                )
            }
            let cosine = reranker.rerank(candidates, embedding: encoder.embed([item.text])[0]).topCosine
            if reranker.unfamiliarKeepsEngine && cosine < reranker.familiarity {
                keptByTheEngine += 1
                let engine = try lexical.map([item.text], options: options)[0].map(\.controlID)
                #expect(answered == engine, "\(item.catalog): \(item.text)")
                continue
            }
            #expect(
                item.matchesUpToTies(answered, Array(item.diverseOrder.prefix(answered.count))),
                "\(item.catalog): \(answered) \(item.text)"
            )
            #expect(answered.count == min(10, item.diverseOrder.count))
        }
        #expect(keptByTheEngine > 0, "the parity cases include unfamiliar TSC texts")
    }
}
