import Foundation

/// The in-process mapping engine: bundled catalogs ranked with BM25 and a security vocabulary.
///
/// Loading reads `vocabulary.tsv` and one `<catalog>.tsv` per catalogue from a directory (see
/// ``bundledCatalogDirectory(environment:)``), builds one inverted index per catalogue, and is then
/// read-only; ``map(_:options:)`` is safe to call from many threads. Identical texts of a batch are
/// mapped once, and an LRU cache keyed by text, event type and options sits in front of the ranking.
///
/// When the event type of a text is known (``map(_:hints:options:)``) or the text names one (a CloudTrail
/// event name, a GuardDuty finding type, an Okta event type, a Kubernetes verb and resource), the controls
/// of that type in `event_priors.tsv` are added to the ranking.
///
/// With a ``TextEmbedder`` (the sentence encoder of the `Semantic` module), each catalogue's top candidates are
/// re-ordered by its ``SemanticReranker`` (`reranker/` in the catalog directory). The top answer's similarity
/// is then the re-ranker's calibrated top-1 probability; every other answer keeps its calibrated engine
/// similarity, lowered where needed to stay at or below the answer before it. Embeddings are cached by text
/// beside the match cache.
public final class EmbeddedMapper: ComplianceMapper {
    /// The default number of cached texts: 10,000.
    public static let defaultCacheCapacity = 10_000
    /// Texts longer than this (in UTF-8 bytes) are mapped but not cached: 4,096.
    public static let maxCachedTextBytes = 4_096

    private struct CacheKey: Hashable, Sendable {
        let text: String
        let hint: EventTypeHint?
        let options: MappingOptions
    }

    /// The words of the vocabulary and all catalogs.
    let lexicon: Lexicon
    /// Stop words, normalisations and expansions.
    let vocabulary: Vocabulary
    /// One index per catalogue name.
    let indexes: [String: SearchIndex]
    /// Crosswalk projection tables per catalogue name (catalogues without pairs are absent).
    let projections: [String: ProjectionTable]
    /// Controls per event type.
    let eventPriors: EventPriors
    /// Re-rankers per catalogue name (empty without an embedder).
    let rerankers: [String: SemanticReranker]
    /// Family numbering and penalties per catalogue name (``FamilyDiversity``).
    let diversities: [String: FamilyDiversity]
    private let embedder: (any TextEmbedder)?
    private let cache: LRUCache<CacheKey, [ControlMatch]>
    private let embeddingCache: LRUCache<String, [Float]>

    /// Loads the catalogs of a directory.
    /// - Parameters:
    ///   - catalogDirectory: A directory with `vocabulary.tsv` and the catalogue files.
    ///   - cacheCapacity: Texts kept in the LRU cache (0 disables it); as many embeddings are cached. Default:
    ///     10,000.
    ///   - embedder: Sentence embeddings for the semantic re-ranker; `nil` ranks without it.
    ///   - entities: What the organisation is (`service provider`, `wireless`, …): requirements a catalogue scopes
    ///     to such an entity are answered for every text, not only for texts that name it (``ControlScopes``).
    /// - Throws: ``MappingError`` with ``MappingError/Code/catalogInvalid`` when a file is missing or malformed
    ///   (with an embedder, also the re-ranker files, or when their dimension differs from the embedder's);
    ///   ``MappingError/Code/unknownEntity`` for an entity that unlocks no scope.
    public init(
        catalogDirectory: URL,
        cacheCapacity: Int = EmbeddedMapper.defaultCacheCapacity,
        embedder: (any TextEmbedder)? = nil,
        entities: [String] = []
    ) throws {
        var lexicon = Lexicon()
        let vocabulary = try Vocabulary.load(
            try EmbeddedMapper.read(catalogDirectory, "vocabulary.tsv"),
            into: &lexicon
        )
        var builders: [String: IndexBuilder] = [:]
        for name in Set(FrameworkID.allCases.map(\.catalogName)).sorted() {
            let file = try CatalogFile(bytes: try EmbeddedMapper.read(catalogDirectory, name + ".tsv"), name: name)
            var builder = IndexBuilder(file: file)
            builder.add(file, lexicon: &lexicon, vocabulary: vocabulary)
            builders[name] = builder
        }
        let stemCount = lexicon.stemCount
        let priors = try EmbeddedMapper.readPriors(catalogDirectory)
        var indexes: [String: SearchIndex] = [:]
        var entitiesUnlockingNothing = Set(entities)
        var entityPhrases: [String] = []
        for (name, builder) in builders.sorted(by: { $0.key < $1.key }) {
            let scopes = try ControlScopes(
                fields: builder.scopeFields,
                ids: builder.ids,
                catalog: name,
                lexicon: lexicon,
                vocabulary: vocabulary,
                entities: entities
            )
            entitiesUnlockingNothing.formIntersection(scopes.entitiesUnlockingNothing)
            for phrase in scopes.phraseTexts where !entityPhrases.contains(phrase) {
                entityPhrases.append(phrase)
            }
            indexes[name] = SearchIndex(
                builder,
                stemCount: stemCount,
                priors: priors.scaled(catalog: name, ids: builder.ids),
                calibration: priors.calibrations[name] ?? [],
                marginWeight: priors.marginWeights[name] ?? 0,
                scopes: scopes
            )
        }
        if let entity = entities.first(where: entitiesUnlockingNothing.contains) {
            throw MappingError(
                .unknownEntity,
                "\"\(entity.prefix(80))\" names no entity the catalogues scope requirements to; known: "
                    + entityPhrases.joined(separator: ", ")
            )
        }
        self.indexes = indexes
        let crosswalk = try EmbeddedMapper.readCrosswalk(catalogDirectory)
        var projections: [String: ProjectionTable] = [:]
        let nistName = FrameworkID.nist80053r5.catalogName
        if let nist = indexes[nistName] {
            for (name, index) in indexes where name != nistName {
                projections[name] = crosswalk.table(catalog: name, ids: index.ids, nistIDs: nist.ids)
            }
        }
        self.projections = projections
        var positions: [String: [String: Int]] = [:]
        for (name, index) in indexes {
            positions[name] = Dictionary(index.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        }
        self.eventPriors = try EmbeddedMapper.readEventPriors(catalogDirectory, positions: positions)
        var rerankers: [String: SemanticReranker] = [:]
        if let embedder {
            for (name, index) in indexes {
                let reranker = try SemanticReranker(
                    directory: catalogDirectory,
                    catalog: name,
                    ids: index.ids,
                    priors: (priors.weights[name] ?? [:], priors.alphas[name] ?? 0)
                )
                guard reranker.dimension == embedder.dimension else {
                    throw MappingError(
                        .catalogInvalid,
                        "re-ranker of \(name) expects \(reranker.dimension)-float embeddings, the model gives "
                            + "\(embedder.dimension)"
                    )
                }
                rerankers[name] = reranker
            }
        }
        self.rerankers = rerankers
        var diversities: [String: FamilyDiversity] = [:]
        for (name, index) in indexes {
            diversities[name] = FamilyDiversity(
                ids: index.ids,
                catalog: name,
                lexicalPenalty: Double(priors.diversityPenalties[name] ?? 0),
                rerankedPenalty: Double(priors.rerankedDiversityPenalties[name] ?? 0)
            )
        }
        self.diversities = diversities
        self.embedder = embedder
        self.lexicon = lexicon
        self.vocabulary = vocabulary
        self.cache = LRUCache(capacity: cacheCapacity)
        self.embeddingCache = LRUCache(capacity: embedder == nil ? 0 : cacheCapacity)
    }

    /// Whether the semantic re-ranker orders the candidates (an embedder was given).
    public var usesSemanticReranker: Bool { embedder != nil }

    /// Loads the bundled catalogs (see ``bundledCatalogDirectory(environment:)``).
    /// - Parameter cacheCapacity: Texts kept in the LRU cache. Default: 10,000.
    /// - Throws: ``MappingError`` when no catalog directory is found or a file is malformed.
    public convenience init(cacheCapacity: Int = EmbeddedMapper.defaultCacheCapacity) throws {
        try self.init(catalogDirectory: try EmbeddedMapper.bundledCatalogDirectory(), cacheCapacity: cacheCapacity)
    }

    /// Number of controls in a framework's catalogue.
    /// - Parameter framework: The framework.
    /// - Returns: The control count.
    public func controlCount(for framework: FrameworkID) -> Int {
        indexes[framework.catalogName]?.count ?? 0
    }

    /// The control ids of a framework's catalogue, in catalogue order.
    /// - Parameter framework: The framework.
    /// - Returns: The ids.
    public func controlIDs(for framework: FrameworkID) -> [String] {
        indexes[framework.catalogName]?.ids ?? []
    }

    /// Number of texts in the cache.
    public var cachedTextCount: Int { cache.count }

    /// Cache lookups since the mapper was created (texts longer than ``maxCachedTextBytes`` are not looked up).
    public var cacheStatistics: MappingCacheStatistics {
        MappingCacheStatistics(
            hits: cache.hitCount,
            misses: cache.missCount,
            entries: cache.count
        )
    }

    /// Maps texts to controls (see ``ComplianceMapper/map(_:options:)``).
    /// - Parameters:
    ///   - texts: The texts.
    ///   - options: Frameworks, threshold and matches per framework.
    /// - Returns: One match list per text, in input order.
    /// - Throws: ``MappingError`` when the options are invalid.
    public func map(_ texts: [String], options: MappingOptions) throws -> [[ControlMatch]] {
        try map(texts, hints: [], options: options)
    }

    /// The controls known for an event type are added to what its text matches.
    public var usesEventTypeHints: Bool { true }

    /// Maps texts to controls, adding the controls known for each text's event type.
    /// - Parameters:
    ///   - texts: The texts.
    ///   - hints: The event type of each text, parallel to `texts` (nil, or missing at the end, for none).
    ///   - options: Frameworks, threshold and matches per framework.
    /// - Returns: One match list per text, in input order.
    /// - Throws: ``MappingError`` when the options are invalid.
    public func map(_ texts: [String], hints: [EventTypeHint?], options: MappingOptions) throws -> [[ControlMatch]] {
        let options = try options.validated()
        var unique: [TextAndHint] = []
        var slots: [Int] = []
        slots.reserveCapacity(texts.count)
        var firstIndex: [TextAndHint: Int] = [:]
        for (i, text) in texts.enumerated() {
            let item = TextAndHint(text: text, hint: i < hints.count ? hints[i] : nil)
            if let earlier = firstIndex[item] {
                slots.append(earlier)
                continue
            }
            firstIndex[item] = unique.count
            slots.append(unique.count)
            unique.append(item)
        }
        var answers = unique.map { cachedMatches(for: $0, options: options) }
        let missing = answers.indices.filter { answers[$0] == nil }
        let embeddings = embeddings(of: missing.map { unique[$0].text }, options: options)
        let plans = options.frameworks.compactMap(plan)
        let nist = plans.first(where: \.isNIST) ?? plan(.nist80053r5)
        var scratch = RankScratch()
        var unknownWords = UnknownWordCache()
        for (n, slot) in missing.enumerated() {
            let item = unique[slot]
            let computed = matches(
                for: item.text,
                hint: item.hint,
                plans: plans,
                nist: nist,
                options: options,
                embedding: embeddings[n],
                scratch: &scratch,
                unknownWords: &unknownWords
            )
            if item.text.utf8.count <= EmbeddedMapper.maxCachedTextBytes {
                cache.insert(computed, for: CacheKey(text: item.text, hint: item.hint, options: options))
            }
            answers[slot] = computed
        }
        return slots.map { answers[$0] ?? [] }
    }

    private struct TextAndHint: Hashable {
        let text: String
        let hint: EventTypeHint?
    }

    /// The cached matches of a text, or nil (texts longer than ``maxCachedTextBytes`` are never cached).
    private func cachedMatches(for item: TextAndHint, options: MappingOptions) -> [ControlMatch]? {
        guard item.text.utf8.count <= EmbeddedMapper.maxCachedTextBytes else {
            return nil
        }
        return cache.value(for: CacheKey(text: item.text, hint: item.hint, options: options))
    }

    /// The embeddings of texts when a requested framework is re-ranked (else nils): cached ones, the others
    /// computed in one batch.
    private func embeddings(of texts: [String], options: MappingOptions) -> [[Float]?] {
        guard let embedder, !texts.isEmpty,
            options.frameworks.contains(where: { rerankers[$0.catalogName] != nil })
        else {
            return texts.map { _ in nil }
        }
        var out: [[Float]?] = texts.map { embeddingCache.value(for: $0) }
        var positions: [String: [Int]] = [:]
        for (i, text) in texts.enumerated() where out[i] == nil {
            positions[text, default: []].append(i)
        }
        let pending = positions.keys.sorted()
        for (text, vector) in zip(pending, embedder.embed(pending)) {
            if text.utf8.count <= EmbeddedMapper.maxCachedTextBytes {
                embeddingCache.insert(vector, for: text)
            }
            for i in positions[text] ?? [] {
                out[i] = vector
            }
        }
        return out
    }

    /// The keys of the event types of a text: its hint's when the hint names a known type (the event's own
    /// fields are more reliable than the API names a finding's prose may list), else those the text names; the
    /// failure row of a type instead of the type when the event failed (its fields say so, else its words).
    private func eventKeys(for text: String, hint: EventTypeHint?) -> [String] {
        guard !eventPriors.isEmpty else {
            return []
        }
        let keys = hint.flatMap { eventPriors.key(for: $0) }.map { [$0] } ?? eventPriors.detect(in: text)
        return eventPriors.withFailures(keys, failed: hint?.failed, in: text)
    }

    /// What answering a framework needs, or nil when its catalogue is not loaded.
    private func plan(_ framework: FrameworkID) -> FrameworkPlan? {
        guard let index = indexes[framework.catalogName] else {
            return nil
        }
        return FrameworkPlan(
            framework: framework,
            index: index,
            projection: projections[framework.catalogName],
            reranker: rerankers[framework.catalogName],
            diversity: diversities[framework.catalogName]
        )
    }

    private func matches(
        for text: String,
        hint: EventTypeHint?,
        plans: [FrameworkPlan],
        nist: FrameworkPlan?,
        options: MappingOptions,
        embedding: [Float]?,
        scratch: inout RankScratch,
        unknownWords: inout UnknownWordCache
    ) -> [ControlMatch] {
        let query = QueryTerms(text, lexicon: lexicon, vocabulary: vocabulary, unknownWords: &unknownWords)
        let keys = eventKeys(for: text, hint: hint)
        guard !query.isEmpty || !keys.isEmpty else {
            return []
        }
        /// The event priors of a catalogue as dense boosts (added to `base`) and the controls to include.
        func eventBoosts(_ plan: FrameworkPlan, base: [Float]?) -> (boosts: [Float]?, include: [Int32]) {
            let entries = keys.isEmpty ? [] : eventPriors.entries(for: keys, catalog: plan.framework.catalogName)
            guard !entries.isEmpty else {
                return (base, [])
            }
            var boosts = base ?? [Float](repeating: 0, count: plan.index.count)
            for entry in entries {
                boosts[Int(entry.index)] += entry.value
            }
            return (boosts, entries.map(\.index))
        }
        // The 800-53 ranking is computed once per text: its answers and the projection's sources.
        var nistHits: [(index: Int, score: Float, lexical: Float)]?
        func nistRanking(_ nist: FrameworkPlan) -> [(index: Int, score: Float, lexical: Float)] {
            if let nistHits {
                return nistHits
            }
            let event = eventBoosts(nist, base: nil)
            // Without 800-53 answers the ranking only feeds the projection (its first `sourceCount`).
            let answered = plans.contains(where: \.isNIST)
            let hits = nist.index.rank(
                query,
                limit: max(
                    answered ? nist.candidateCount(topK: options.topK, reranked: embedding != nil) : 0,
                    CrosswalkProjection.sourceCount
                ),
                boosts: event.boosts,
                include: event.include,
                lexicalDepth: nist.lexicalDepth(reranked: embedding != nil),
                scratch: &scratch
            )
            nistHits = hits
            return hits
        }
        var out: [ControlMatch] = []
        for plan in plans {
            let isReranked = embedding != nil && plan.reranker != nil
            let limit = plan.candidateCount(topK: options.topK, reranked: isReranked)
            let hits: [(index: Int, score: Float, lexical: Float)]
            if plan.isNIST {
                hits = Array(nistRanking(plan).prefix(limit))
            } else {
                var boosts: [Float]?
                if let projection = plan.projection, let nist {
                    let sources = nistRanking(nist).prefix(CrosswalkProjection.sourceCount)
                    boosts = projection.boosts(from: sources, count: plan.index.count)
                }
                let event = eventBoosts(plan, base: boosts)
                hits = plan.index.rank(
                    query,
                    limit: limit,
                    boosts: event.boosts,
                    include: event.include,
                    lexicalDepth: plan.lexicalDepth(reranked: isReranked),
                    scratch: &scratch
                )
            }
            if let embedding, let reranker = plan.reranker {
                out += reranked(hits, by: reranker, embedding: embedding, plan: plan, options: options)
                continue
            }
            out += lexicalAnswers(hits, plan: plan, options: options)
        }
        return out
    }

    /// The priors of a catalog directory, or none when it has no priors file.
    private static func readPriors(_ directory: URL) throws(MappingError) -> ControlPriors {
        let path = directory.appendingPathComponent(ControlPriors.fileName).path
        guard FileManager.default.fileExists(atPath: path) else {
            return ControlPriors()
        }
        return try ControlPriors(bytes: try read(directory, ControlPriors.fileName))
    }

    /// The event priors of a catalog directory, or none when it has no event priors file.
    private static func readEventPriors(
        _ directory: URL,
        positions: [String: [String: Int]]
    ) throws(MappingError) -> EventPriors {
        let path = directory.appendingPathComponent(EventPriors.fileName).path
        guard FileManager.default.fileExists(atPath: path) else {
            return EventPriors()
        }
        return try EventPriors(bytes: try read(directory, EventPriors.fileName), positions: positions)
    }

    /// The crosswalk of a catalog directory, or none when it has no crosswalk file.
    private static func readCrosswalk(_ directory: URL) throws(MappingError) -> CrosswalkProjection {
        let path = directory.appendingPathComponent(CrosswalkProjection.fileName).path
        guard FileManager.default.fileExists(atPath: path) else {
            return CrosswalkProjection()
        }
        return try CrosswalkProjection(bytes: try read(directory, CrosswalkProjection.fileName))
    }

    private static func read(_ directory: URL, _ file: String) throws(MappingError) -> [UInt8] {
        let path = directory.appendingPathComponent(file).path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MappingError(.catalogInvalid, "catalog file \(path) is missing or unreadable")
        }
        return [UInt8](data)
    }
}
