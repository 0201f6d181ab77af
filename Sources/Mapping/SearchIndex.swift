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
    /// Controls answered only for a text that names the entity they bind (``ControlScopes``).
    private let scopes: ControlScopes

    /// Number of controls.
    var count: Int { ids.count }

    /// Creates the index from collected document terms.
    /// - Parameters:
    ///   - collected: The catalog's documents.
    ///   - stemCount: Number of stems in the finished lexicon.
    ///   - priors: Scaled priors of the catalog's controls (see ``ControlPriors/scaled(catalog:ids:)``).
    ///   - calibration: Calibration knots of the catalog, or empty.
    ///   - marginWeight: Weight of the top answer's lead in its similarity; 0 ignores the lead.
    ///   - scopes: The catalog's scoped controls.
    init(
        _ collected: IndexBuilder,
        stemCount: Int,
        priors: [(index: Int32, value: Float)] = [],
        calibration: [Float] = [],
        marginWeight: Float = 0,
        scopes: ControlScopes = ControlScopes()
    ) {
        ids = collected.ids
        self.calibration = calibration
        self.marginWeight = marginWeight
        self.scopes = scopes
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
    ///   - scratch: Working memory reused across rankings (left as it was found: scores all zero).
    /// - Returns: Control indexes with their fused similarities (lexical similarity plus prior and
    ///   boost, not clamped), descending (ties in catalog order), and their lexical similarities (0 for a
    ///   control the text does not match).
    func rank(
        _ query: QueryTerms,
        limit: Int,
        boosts extra: [Float]? = nil,
        include: [Int32] = [],
        lexicalDepth: Int = 0,
        scratch: inout RankScratch
    ) -> [(index: Int, score: Float, lexical: Float)] {
        var touchedCount = matched(query, include: include, scratch: &scratch)
        if !scopes.isEmpty {
            touchedCount = leaveOutLocked(query, count: touchedCount, scratch: &scratch)
        }
        let touched = scratch.touched[..<touchedCount]
        let hits = scratch.scores.withUnsafeBufferPointer { scores in
            var hits = best(of: touched, scores: scores, limit: limit, boosts: extra)
            if lexicalDepth > 0 {
                let textMatches = touched.filter { scores[Int($0)] > 0 }
                let similarities = textMatches.map { Float(SimilarityCalibration.similarity(score: scores[Int($0)])) }
                for (n, hit) in hits.enumerated() where hit.lexical > 0 {
                    var above = 0
                    for (doc32, other) in zip(textMatches, similarities)
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
        scratch.scores.withUnsafeMutableBufferPointer { scores in
            for doc in touched {
                scores[Int(doc)] = 0
            }
        }
        return hits
    }

    /// The best `limit` of the touched controls by fused score (similarity, prior, boost), best first.
    private func best(
        of touched: ArraySlice<Int32>,
        scores: UnsafeBufferPointer<Float>,
        limit: Int,
        boosts extra: [Float]?
    ) -> [(index: Int, score: Float, lexical: Float)] {
        let hasExtra = extra != nil
        let extraValues = extra ?? []
        var best = TopCandidates(limit: limit)
        priors.withUnsafeBufferPointer { priors in
            extraValues.withUnsafeBufferPointer { extra in
                /// The fused score of a similarity: plus the control's prior, then its boost (in this order).
                func fused(_ similarity: Float, _ doc: Int) -> Float {
                    let score = similarity + priors[doc]
                    return hasExtra ? score + extra[doc] : score
                }
                for doc32 in touched {
                    let doc = Int(doc32)
                    // Most matched controls score far below the kept ones: a bound of their similarity rules
                    // them out without computing it (rounded additions are monotone, so the fused score of the
                    // bound bounds theirs).
                    let bound = SimilarityCalibration.similarityBound(score: scores[doc])
                    guard best.admits(fused(bound, doc), index: doc) else {
                        continue
                    }
                    let similarity = Float(SimilarityCalibration.similarity(score: scores[doc]))
                    best.offer((doc, fused(similarity, doc), scores[doc] > 0 ? similarity : 0))
                }
            }
        }
        return best.sorted()
    }

    /// The best controls for a query, with working memory of its own (see
    /// ``rank(_:limit:boosts:include:lexicalDepth:scratch:)``).
    func rank(
        _ query: QueryTerms,
        limit: Int,
        boosts extra: [Float]? = nil,
        include: [Int32] = [],
        lexicalDepth: Int = 0
    ) -> [(index: Int, score: Float, lexical: Float)] {
        var scratch = RankScratch()
        return rank(query, limit: limit, boosts: extra, include: include, lexicalDepth: lexicalDepth, scratch: &scratch)
    }

    /// Scores every control for a query into `scratch.scores` (after boosts and inheritance; 0 where it does
    /// not match) and lists the controls to rank in `scratch.touched`: matched ones in the order their postings
    /// were read, then parents reached only through a sub-control, then the included controls the query does
    /// not match.
    /// - Returns: How many controls were listed.
    private func matched(_ query: QueryTerms, include: [Int32], scratch: inout RankScratch) -> Int {
        scratch.reserve(controls: ids.count, extra: include.count)
        // Each control enters at most once (a scored control is never 0 again: postings and boosts are
        // positive), so the list never outgrows the catalogue plus the included ones; the spare slot lets the
        // posting loop write before it knows whether the control is new.
        let capacity = ids.count + include.count
        var count = 0
        // The hot loop of every mapping: unsafe buffers (no bounds checks, no retains, no growth checks).
        scratch.scores.withUnsafeMutableBufferPointer { scores in
            scratch.touched.withUnsafeMutableBufferPointer { touched in
                func enter(_ doc: Int) {
                    if count < capacity {
                        touched[count] = Int32(doc)
                        count += 1
                    }
                }
                postingStart.withUnsafeBufferPointer { start in
                    postingDoc.withUnsafeBufferPointer { docs in
                        postingWeight.withUnsafeBufferPointer { weights in
                            for (stem, weight) in zip(query.stems, query.weights) where Int(stem) < start.count - 1 {
                                for p in Int(start[Int(stem)])..<Int(start[Int(stem) + 1]) {
                                    // Without a branch: whether a control is new is unpredictable.
                                    let doc = Int(docs[p])
                                    touched[min(count, ids.count)] = Int32(doc)
                                    count += scores[doc] == 0 ? 1 : 0
                                    scores[doc] += weight * weights[p]
                                }
                            }
                        }
                    }
                }
                boosts.withUnsafeBufferPointer { boosts in
                    for n in 0..<count {
                        scores[Int(touched[n])] *= boosts[Int(touched[n])]
                    }
                }
                // Parents inherit from the controls matched by their own words, in the order those were matched.
                parents.withUnsafeBufferPointer { parents in
                    for n in 0..<count {
                        let doc = Int(touched[n])
                        let parent = Int(parents[doc])
                        guard parent >= 0 else {
                            continue
                        }
                        if scores[parent] == 0 {
                            enter(parent)
                        }
                        scores[parent] = max(scores[parent], scores[doc] * SearchIndex.parentShare)
                    }
                }
                var included = Set<Int32>()
                for doc32 in include where Int(doc32) < ids.count && scores[Int(doc32)] == 0 {
                    if included.insert(doc32).inserted {
                        enter(Int(doc32))
                    }
                }
            }
        }
        return count
    }

    /// Removes from the listed controls the scoped ones the text does not unlock (their scores back to 0).
    /// - Returns: How many controls stay listed.
    private func leaveOutLocked(_ query: QueryTerms, count: Int, scratch: inout RankScratch) -> Int {
        var unlocked: UInt64?
        var kept = 0
        for n in 0..<count {
            let doc = Int(scratch.touched[n])
            if scopes.isScoped(doc) {
                let mask = unlocked ?? scopes.unlocked(by: query)
                unlocked = mask
                guard scopes.admits(doc, unlocked: mask) else {
                    scratch.scores[doc] = 0
                    continue
                }
            }
            scratch.touched[kept] = Int32(doc)
            kept += 1
        }
        return kept
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
    /// The catalog's `#scope` fields.
    let scopeFields: [String]

    private var accumulator: [Float] = []

    /// Creates a builder for a catalog.
    /// - Parameter file: The parsed catalog (for its BM25 settings).
    init(file: CatalogFile) {
        k1 = file.k1
        b = file.b
        scopeFields = file.scopes
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
