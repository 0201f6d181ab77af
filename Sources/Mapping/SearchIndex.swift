import Foundation

/// A BM25F-style inverted index over one catalog.
///
/// Each control is a document made of weighted fields (title, body, detail, context): a term's
/// frequency is the weighted sum of its field frequencies and the document length the weighted sum
/// of field lengths. Scoring is Okapi BM25 (Robertson et al.; https://en.wikipedia.org/wiki/Okapi_BM25)
/// with idf = ln(1 + (N - df + 0.5) / (df + 0.5)), multiplied by the control's boost.
///
/// A control with sub-controls in the catalog (`AC-2` for `AC-2(1)`, `10.2.1` for `10.2.1.4`) scores
/// at least ``parentShare`` times its best-scoring sub-control, so a base requirement follows its
/// matching enhancements in the ranking.
///
/// Ranking is by fused similarity: the calibrated lexical similarity (``SimilarityCalibration``) plus
/// the control's scaled prior (``ControlPriors``) and any boosts. Only controls the text matches lexically
/// are ranked, and the controls the caller includes (those of a recognised event type, ``EventPriors``); a
/// prior reorders them but never brings in a control the text does not mention.
struct SearchIndex: Sendable {
    /// Share of a sub-control's score a parent control receives at least.
    static let parentShare: Float = 0.9
    /// Control ids, in catalog order.
    let ids: [String]
    /// Control families, parallel to ``ids``.
    let families: [String]
    private let boosts: [Float]
    private let parents: [Int32]
    private let postingStart: [Int32]
    private let postingDoc: [Int32]
    private let postingWeight: [Float]
    private let priors: [Float]
    /// Calibration knots of the catalog (see ``SimilarityCalibration/calibrated(_:knots:)``), or empty.
    let calibration: [Float]
    /// Weight of the top answer's lead over the runner-up in its calibrated similarity (see ``ControlPriors``).
    let marginWeight: Float

    /// Number of controls.
    var count: Int { ids.count }

    /// Creates the index from collected document terms.
    /// - Parameters:
    ///   - collected: The catalog's documents.
    ///   - stemCount: Number of stems in the finished lexicon.
    ///   - priors: Scaled priors of the catalog's controls (see ``ControlPriors/scaled(catalog:ids:)``).
    ///   - calibration: Calibration knots of the catalog, or empty.
    ///   - marginWeight: Weight of the top answer's lead in its similarity; 0 ignores the lead.
    init(
        _ collected: IndexBuilder,
        stemCount: Int,
        priors: [(index: Int32, value: Float)] = [],
        calibration: [Float] = [],
        marginWeight: Float = 0
    ) {
        ids = collected.ids
        self.calibration = calibration
        self.marginWeight = marginWeight
        var dense = [Float](repeating: 0, count: collected.ids.count)
        for prior in priors where Int(prior.index) < dense.count {
            dense[Int(prior.index)] = prior.value
        }
        self.priors = dense
        families = collected.families
        boosts = collected.boosts
        parents = SearchIndex.parents(of: collected.ids)
        let k1 = collected.k1
        let b = collected.b
        let documentCount = collected.lengths.count
        let averageLength = max(collected.lengths.reduce(0, +) / Float(max(documentCount, 1)), 1e-6)

        var frequency = [Int32](repeating: 0, count: stemCount)
        for stem in collected.termStems {
            frequency[Int(stem)] += 1
        }
        var idf = [Float](repeating: 0, count: stemCount)
        var start = [Int32](repeating: 0, count: stemCount + 1)
        for stem in 0..<stemCount {
            let df = Float(frequency[stem])
            if df > 0 {
                idf[stem] = Float(log(1 + (Double(documentCount) - Double(df) + 0.5) / (Double(df) + 0.5)))
            }
            start[stem + 1] = start[stem] + frequency[stem]
        }
        var fill = Array(start.dropLast())
        var docs = [Int32](repeating: 0, count: collected.termStems.count)
        var weights = [Float](repeating: 0, count: collected.termStems.count)
        for doc in 0..<documentCount {
            let norm = k1 * (1 - b + b * collected.lengths[doc] / averageLength)
            for t in collected.termStart[doc]..<collected.termStart[doc + 1] {
                let stem = Int(collected.termStems[t])
                let tf = collected.termWeights[t]
                let slot = Int(fill[stem])
                fill[stem] += 1
                docs[slot] = Int32(doc)
                weights[slot] = idf[stem] * tf * (k1 + 1) / (tf + norm)
            }
        }
        postingStart = start
        postingDoc = docs
        postingWeight = weights
    }

    /// The best controls for a query.
    /// - Parameters:
    ///   - query: The query's weighted stems.
    ///   - limit: How many controls to return at most.
    ///   - boosts: Additive boosts per control (crosswalk projection, event priors), or nil.
    ///   - include: Controls ranked even when the query does not match them (those of an event type).
    ///   - lexicalDepth: When positive, a control whose lexical similarity ranks at or below this depth among
    ///     the controls the text matches (ties in catalog order) reports a lexical similarity of 0 (the
    ///     re-ranker was fitted on the lexical top 50 only; see ``SemanticReranker``).
    /// - Returns: Control indexes with their fused similarities (lexical similarity plus prior and
    ///   boost, not clamped), descending (ties in catalog order), and their lexical similarities (0 for a
    ///   control the text does not match).
    func rank(
        _ query: QueryTerms,
        limit: Int,
        boosts extra: [Float]? = nil,
        include: [Int32] = [],
        lexicalDepth: Int = 0
    ) -> [(index: Int, score: Float, lexical: Float)] {
        var scores = [Float](repeating: 0, count: ids.count)
        var touched: [Int32] = []
        touched.reserveCapacity(64)
        // The hot loop of every mapping: postings read through unsafe buffers (no bounds checks, no retains).
        scores.withUnsafeMutableBufferPointer { scores in
            postingStart.withUnsafeBufferPointer { start in
                postingDoc.withUnsafeBufferPointer { docs in
                    postingWeight.withUnsafeBufferPointer { weights in
                        for (stem, weight) in zip(query.stems, query.weights) where Int(stem) < start.count - 1 {
                            for p in Int(start[Int(stem)])..<Int(start[Int(stem) + 1]) {
                                let doc = Int(docs[p])
                                if scores[doc] == 0 {
                                    touched.append(Int32(doc))
                                }
                                scores[doc] += weight * weights[p]
                            }
                        }
                    }
                }
            }
            boosts.withUnsafeBufferPointer { boosts in
                for doc32 in touched {
                    scores[Int(doc32)] *= boosts[Int(doc32)]
                }
            }
        }
        for doc32 in touched {
            let parent = Int(parents[Int(doc32)])
            guard parent >= 0 else {
                continue
            }
            let inherited = scores[Int(doc32)] * SearchIndex.parentShare
            if scores[parent] == 0 {
                touched.append(Int32(parent))
            }
            scores[parent] = max(scores[parent], inherited)
        }
        var included = Set<Int32>()
        for doc32 in include where Int(doc32) < ids.count && scores[Int(doc32)] == 0 {
            if included.insert(doc32).inserted {
                touched.append(doc32)
            }
        }
        var hits: [(index: Int, score: Float, lexical: Float)] = []
        hits.reserveCapacity(limit)
        for doc32 in touched {
            let doc = Int(doc32)
            let similarity = Float(SimilarityCalibration.similarity(score: scores[doc]))
            let lexical = scores[doc] > 0 ? similarity : 0
            var score = similarity + priors[doc]
            if let extra {
                score += extra[doc]
            }
            if hits.count == limit, let last = hits.last, !SearchIndex.ranksBefore(score, doc, last.score, last.index) {
                continue
            }
            // Insertion into the sorted list: a full list drops its last entry, the others move down one.
            let entry = (index: doc, score: score, lexical: lexical)
            if hits.count < limit {
                hits.append(entry)
            }
            var position = hits.count - 1
            while position > 0,
                SearchIndex.ranksBefore(score, doc, hits[position - 1].score, hits[position - 1].index)
            {
                hits[position] = hits[position - 1]
                position -= 1
            }
            hits[position] = entry
        }
        if lexicalDepth > 0 {
            let matched = touched.filter { scores[Int($0)] > 0 }
            let similarities = matched.map { Float(SimilarityCalibration.similarity(score: scores[Int($0)])) }
            for (n, hit) in hits.enumerated() where hit.lexical > 0 {
                var above = 0
                for (doc32, other) in zip(matched, similarities)
                where other > hit.lexical || (other == hit.lexical && Int(doc32) < hit.index) {
                    above += 1
                }
                if above >= lexicalDepth {
                    hits[n].lexical = 0
                }
            }
        }
        return hits
    }

    /// The parent of each control: its id without the last level (`AC-2(1)` -> `AC-2`,
    /// `10.2.1.4` -> `10.2.1`) when that id is in the catalog, else -1.
    private static func parents(of ids: [String]) -> [Int32] {
        var position: [String: Int32] = [:]
        for (i, id) in ids.enumerated() {
            position[id] = Int32(i)
        }
        return ids.map { id in
            let parent: Substring
            if id.hasSuffix(")"), let open = id.lastIndex(of: "(") {
                parent = id[..<open]
            } else if let dot = id.lastIndex(of: ".") {
                parent = id[..<dot]
            } else {
                return -1
            }
            return position[String(parent)] ?? -1
        }
    }

    private static func ranksBefore(_ score: Float, _ doc: Int, _ otherScore: Float, _ otherDoc: Int) -> Bool {
        score > otherScore || (score == otherScore && doc < otherDoc)
    }
}

/// Documents of one catalog as weighted stems, collected while the lexicon is still growing.
struct IndexBuilder {
    /// Control ids.
    var ids: [String] = []
    /// Control families.
    var families: [String] = []
    /// Control boosts.
    var boosts: [Float] = []
    /// Weighted length of each document.
    var lengths: [Float] = []
    /// Start of each document's terms in ``termStems`` (one more entry than documents).
    var termStart: [Int] = [0]
    /// Stems of each document's distinct terms.
    var termStems: [Int32] = []
    /// Weighted frequency of each term.
    var termWeights: [Float] = []
    /// BM25 k1 of the catalog.
    let k1: Float
    /// BM25 b of the catalog.
    let b: Float

    private var accumulator: [Float] = []

    /// Creates a builder for a catalog.
    /// - Parameter file: The parsed catalog (for its BM25 settings).
    init(file: CatalogFile) {
        k1 = file.k1
        b = file.b
    }

    /// Adds every record of a catalog, interning its words.
    /// - Parameters:
    ///   - file: The catalog.
    ///   - lexicon: The lexicon under construction.
    ///   - vocabulary: Normalisation rules applied to the text.
    mutating func add(_ file: CatalogFile, lexicon: inout Lexicon, vocabulary: Vocabulary) {
        file.bytes.withUnsafeBufferPointer { buffer in
            for record in file.records {
                var touched: [Int32] = []
                var length: Float = 0
                for (field, range) in record.fields.enumerated() {
                    let weight = file.fieldWeights[field]
                    guard weight > 0, !range.isEmpty else {
                        continue
                    }
                    let raw = lexicon.internTokens(UnsafeBufferPointer(rebasing: buffer[range]))
                    for token in vocabulary.normalizations.rewrite(raw) where !token.isStop && token.stem >= 0 {
                        let stem = Int(token.stem)
                        if stem >= accumulator.count {
                            accumulator.append(contentsOf: repeatElement(0, count: stem + 1024 - accumulator.count))
                        }
                        if accumulator[stem] == 0 {
                            touched.append(token.stem)
                        }
                        accumulator[stem] += weight
                        length += weight
                    }
                }
                for stem in touched {
                    termStems.append(stem)
                    termWeights.append(accumulator[Int(stem)])
                    accumulator[Int(stem)] = 0
                }
                termStart.append(termStems.count)
                lengths.append(length)
                ids.append(record.id)
                families.append(record.family)
                boosts.append(record.boost)
            }
        }
    }
}
