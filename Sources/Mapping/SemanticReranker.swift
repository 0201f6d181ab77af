import Foundation

/// Re-orders the engine's best candidates of one catalogue with a learned linear scorer that also reads the
/// text's sentence embedding.
///
/// Loaded from `reranker/<catalog>.tsv` and `reranker/<catalog>.f32` in the catalog directory, written by
/// `scripts/build_reranker.py` (fitted on the Prowler-labelled check texts). Each of the engine's top
/// ``topN`` candidates gets the features of that script (`proto` set of `scripts/eval_reranker.py`): fused
/// score, lexical similarity (both quantised to hundredths of the reported similarity, as the fit saw them
/// through `lakemark map`), log of the engine rank, gap to the top fused score, prior weight, the boost that
/// is neither (crosswalk projection and event priors), control depth, the share of training texts labelled
/// with the control's family, and the cosine of the text's embedding to the control's and to the family's
/// prototype (the normalised mean embedding of the training texts labelled with it; 0 without one). The
/// scorer's value orders the candidates; the softmax over them gives the top answer's probability, which
/// ``similarity(probability:moved:engineSimilarity:prototypeCosine:)`` turns into a similarity whose buckets were
/// fitted out of fold, separately for a top answer the scorer kept at the engine's top and one it moved there (moved
/// ones are right less often at the same probability). Those thresholds hold for texts like the training texts:
/// a text far from every training text labelled with its answer (prototype cosine below ``familiarity``) is not
/// High.
struct SemanticReranker: Sendable {
    /// One of the engine's candidates.
    struct Candidate {
        /// The control's index in the catalogue.
        let index: Int
        /// Fused score (lexical similarity plus prior plus boosts), before calibration.
        let fused: Float
        /// Lexical similarity (0 when the text does not match the control's words, or when the control is
        /// outside the text's lexical top ``lexicalDepth``).
        let lexical: Float
    }

    /// Engine similarity below which a top answer cannot be High (the Low cut of ``Confidence``).
    static let engineFloor = 0.30
    /// Directory of the artifacts inside the catalog directory.
    static let directoryName = "reranker"
    /// The features the artifacts must list, in this order.
    static let featureNames = [
        "fused", "lex", "logrank", "gap", "prior", "boost", "depth", "family", "proto", "protofam",
    ]

    /// Position of `proto` (the cosine to the control's prototype) in ``featureNames``.
    static let prototypeFeature = 8

    /// Candidates re-ordered per text: the engine's top N.
    let topN: Int
    /// Lexical ranks the fit saw: a candidate's lexical similarity counts only within the text's lexical top
    /// this many (the fit read them from a lexical-only `lakemark map` with the API's largest `topk`).
    let lexicalDepth: Int
    /// Size of the embeddings the prototypes were built from.
    let dimension: Int
    /// Top-1 probability from which the top answer is Medium, if any probability is.
    let mediumProbability: Double?
    /// Top-1 probability from which the top answer is High, if any probability is.
    let highProbability: Double?
    /// Top-1 probability from which a moved top answer is Medium, if any probability is.
    let movedMediumProbability: Double?
    /// Top-1 probability from which a moved top answer is High, if any probability is.
    let movedHighProbability: Double?
    /// Cosine of the text to the top answer's prototype from which that answer may be High: the 5 % quantile of
    /// that cosine over the out-of-fold top answers of the training texts.
    let familiarity: Double
    /// Whether a text below ``familiarity`` keeps the lexical engine's answers instead of being re-ordered (the
    /// artifacts' `#unfamiliar engine`; see ``RerankerTable``).
    let unfamiliarKeepsEngine: Bool
    private let rawScale: Double
    private let alpha: Double
    private let mean: [Double]
    private let std: [Double]
    private let weights: [Double]
    private let bias: Double
    private let priorWeight: [Double]
    private let depth: [Double]
    private let familyShare: [Double]
    private let controlRow: [Int]
    private let familyRow: [Int]
    private let vectors: [Float]

    /// Loads a catalogue's artifacts.
    /// - Parameters:
    ///   - directory: The catalog directory (the artifacts are in its `reranker/` folder).
    ///   - catalog: The catalogue name.
    ///   - ids: The catalogue's control ids, in index order.
    ///   - priors: The catalogue's prior weights by control id (before alpha) and its alpha.
    /// - Throws: ``MappingError/Code/catalogInvalid`` when a file is missing or malformed.
    init(directory: URL, catalog: String, ids: [String], priors: (weights: [String: Float], alpha: Float))
        throws(MappingError)
    {
        let folder = directory.appendingPathComponent(SemanticReranker.directoryName)
        let tablePath = folder.appendingPathComponent(catalog + ".tsv").path
        guard let tableData = FileManager.default.contents(atPath: tablePath) else {
            throw MappingError(.catalogInvalid, "re-ranker file \(tablePath) is missing or unreadable")
        }
        let table = try RerankerTable(bytes: [UInt8](tableData), path: tablePath)
        let vectorPath = folder.appendingPathComponent(catalog + ".f32").path
        guard let vectorData = FileManager.default.contents(atPath: vectorPath) else {
            throw MappingError(.catalogInvalid, "re-ranker file \(vectorPath) is missing or unreadable")
        }
        let rows = table.controls.count + table.families.count
        guard vectorData.count == rows * table.dimension * 4 else {
            throw MappingError(
                .catalogInvalid,
                "\(vectorPath): \(vectorData.count) bytes, expected \(rows) vectors of \(table.dimension) floats"
            )
        }
        vectors = vectorData.withUnsafeBytes { raw in
            (0..<(rows * table.dimension)).map {
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
        topN = table.topN
        lexicalDepth = table.lexicalDepth
        dimension = table.dimension
        mediumProbability = table.medium
        highProbability = table.high
        movedMediumProbability = table.movedMedium
        movedHighProbability = table.movedHigh
        familiarity = table.familiarity
        unfamiliarKeepsEngine = table.unfamiliarKeepsEngine
        rawScale = table.rawScale
        alpha = Double(priors.alpha)
        mean = table.mean
        std = table.std
        weights = table.weights
        bias = table.bias
        let controlRows = Dictionary(table.controls.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let familyRows = Dictionary(
            table.families.enumerated().map { ($1, table.controls.count + $0) },
            uniquingKeysWith: { a, _ in a }
        )
        priorWeight = ids.map { Double(priors.weights[$0] ?? 0) }
        depth = ids.map { SemanticReranker.depth(of: $0, catalog: catalog) }
        familyShare = ids.map { table.frequencies[FamilyDiversity.family(of: $0, catalog: catalog)] ?? 0 }
        controlRow = ids.map { controlRows[$0] ?? -1 }
        familyRow = ids.map { familyRows[FamilyDiversity.family(of: $0, catalog: catalog)] ?? -1 }
    }

    /// The features of each candidate, in ``featureNames`` order.
    /// - Parameters:
    ///   - candidates: The engine's ranking (best first); only the first ``topN`` are used.
    ///   - embedding: The text's unit-length embedding (``dimension`` floats).
    /// - Returns: One feature vector per candidate used.
    func features(_ candidates: [Candidate], embedding: [Float]) -> [[Double]] {
        let used = candidates.prefix(topN)
        guard let first = used.first else {
            return []
        }
        let top = quantised(first.fused)
        return used.enumerated().map { rank, candidate in
            let fused = quantised(candidate.fused)
            let lexical = candidate.lexical > 0 ? rounded(Double(candidate.lexical)) : 0
            let prior = priorWeight[candidate.index]
            return [
                fused, lexical, log1p(Double(rank)), top - fused, prior, fused - lexical - alpha * prior,
                depth[candidate.index], familyShare[candidate.index],
                cosine(row: controlRow[candidate.index], embedding),
                cosine(row: familyRow[candidate.index], embedding),
            ]
        }
    }

    /// Re-orders the candidates.
    /// - Parameters:
    ///   - candidates: The engine's ranking (best first).
    ///   - embedding: The text's unit-length embedding.
    /// - Returns: Positions into `candidates` in the new order (the first ``topN`` re-ordered, the rest kept
    ///   after them in engine order), the scorer's value of each re-ordered one (parallel to the order's first
    ///   ``topN``), the softmax probability of the new top answer and the text's cosine to that answer's
    ///   prototype (both 0 without candidates).
    func rerank(
        _ candidates: [Candidate],
        embedding: [Float]
    ) -> (order: [Int], scores: [Double], topProbability: Double, topCosine: Double) {
        let rows = features(candidates, embedding: embedding)
        guard !rows.isEmpty else {
            return ([], [], 0, 0)
        }
        let scores = rows.map { row in
            var z = bias
            for j in row.indices {
                z += (row[j] - mean[j]) / std[j] * weights[j]
            }
            return z
        }
        let head = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        let best = scores[head[0]]
        let mass = scores.reduce(0) { $0 + exp($1 - best) }
        return (
            head + Array(rows.count..<candidates.count),
            head.map { scores[$0] },
            1 / mass,
            rows[head[0]][SemanticReranker.prototypeFeature]
        )
    }

    /// The similarity of a top answer with this softmax probability: 0.70...1.0 from the High threshold up,
    /// 0.50...0.69 from the Medium threshold, below 0.50 proportionally to the probability (so the buckets
    /// of ``Confidence`` fall on the fitted thresholds; a missing threshold leaves its bucket empty). High also
    /// needs the engine's own evidence and a familiar text: an answer the engine rates Very Low (calibrated
    /// similarity below 0.30, the text's words barely support it) or whose prototype the text is farther from than
    /// ``familiarity`` (the probability thresholds were fitted on texts like the training texts) is at most Medium,
    /// whatever its probability.
    /// - Parameters:
    ///   - probability: The top answer's softmax probability over the candidates.
    ///   - moved: Whether the scorer moved this answer above the engine's top answer (its own thresholds apply).
    ///   - engineSimilarity: The engine's calibrated similarity of the answer.
    ///   - prototypeCosine: The text's cosine to the answer's prototype (0 without one).
    /// - Returns: A similarity in 0.01...1.0 (not yet rounded).
    func similarity(probability: Double, moved: Bool, engineSimilarity: Double, prototypeCosine: Double) -> Double {
        let medium = moved ? movedMediumProbability : mediumProbability
        let high = moved ? movedHighProbability : highProbability
        let value: Double
        if let high, probability >= high {
            value = 0.70 + 0.30 * (probability - high) / max(1 - high, 1e-9)
        } else if let medium, probability >= medium {
            let upper = high ?? 1
            value = min(0.50 + 0.20 * (probability - medium) / max(upper - medium, 1e-9), 0.69)
        } else {
            value = min(0.50 * probability / (medium ?? 1), 0.49)
        }
        let ceiling = engineSimilarity < SemanticReranker.engineFloor || prototypeCosine < familiarity ? 0.69 : 1.0
        return min(max(value, 0.01), ceiling)
    }

    /// A fused score as the fit saw it: reported (fused / raw scale, clamped, rounded) and scaled back.
    private func quantised(_ fused: Float) -> Double {
        rounded(Double(fused) / rawScale) * rawScale
    }

    private func rounded(_ similarity: Double) -> Double {
        (min(max(similarity, 0.01), 1.0) * 100).rounded() / 100
    }

    private func cosine(row: Int, _ embedding: [Float]) -> Double {
        guard row >= 0, embedding.count == dimension else {
            return 0
        }
        var sum: Float = 0
        vectors.withUnsafeBufferPointer { buffer in
            let base = row * dimension
            for j in 0..<dimension {
                sum += buffer[base + j] * embedding[j]
            }
        }
        return Double(sum)
    }

    /// The depth feature of a control: 800-53 enhancement 1, CSF function (no `-`) 1, PCI the number of
    /// dots, else 0.
    static func depth(of id: String, catalog: String) -> Double {
        switch catalog {
        case "nist_800_53_r5": id.contains("(") ? 1 : 0
        case "nist_csf_v2": id.contains("-") ? 0 : 1
        case "pci_dss_v4": Double(id.filter { $0 == "." }.count)
        default: 0
        }
    }
}
