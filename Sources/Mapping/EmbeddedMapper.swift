import Foundation

/// The in-process mapping engine: bundled catalogs ranked with BM25 and a security vocabulary.
///
/// Loading reads `vocabulary.tsv` and one `<catalog>.tsv` per catalogue from a directory (see
/// ``bundledCatalogDirectory(environment:)``), builds one inverted index per catalogue, and is then
/// read-only; ``map(_:options:)`` is safe to call from many threads. Identical texts of a batch are
/// mapped once, and an LRU cache keyed by text and options sits in front of the ranking.
public final class EmbeddedMapper: ComplianceMapper {
    /// The default number of cached texts: 10,000.
    public static let defaultCacheCapacity = 10_000
    /// Texts longer than this (in UTF-8 bytes) are mapped but not cached: 4,096.
    public static let maxCachedTextBytes = 4_096

    private struct CacheKey: Hashable, Sendable {
        let text: String
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
    private let cache: LRUCache<CacheKey, [ControlMatch]>

    /// Loads the catalogs of a directory.
    /// - Parameters:
    ///   - catalogDirectory: A directory with `vocabulary.tsv` and the catalogue files.
    ///   - cacheCapacity: Texts kept in the LRU cache (0 disables it). Default: 10,000.
    /// - Throws: ``MappingError`` with ``MappingError/Code/catalogInvalid`` when a file is missing or malformed.
    public init(catalogDirectory: URL, cacheCapacity: Int = EmbeddedMapper.defaultCacheCapacity) throws {
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
        for (name, builder) in builders {
            indexes[name] = SearchIndex(
                builder,
                stemCount: stemCount,
                priors: priors.scaled(catalog: name, ids: builder.ids),
                calibration: priors.calibrations[name] ?? []
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
        self.lexicon = lexicon
        self.vocabulary = vocabulary
        self.cache = LRUCache(capacity: cacheCapacity)
    }

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
        let options = try options.validated()
        var results: [[ControlMatch]] = []
        results.reserveCapacity(texts.count)
        var firstIndex: [String: Int] = [:]
        for text in texts {
            if let earlier = firstIndex[text] {
                results.append(results[earlier])
                continue
            }
            firstIndex[text] = results.count
            results.append(cachedMatches(for: text, options: options))
        }
        return results
    }

    private func cachedMatches(for text: String, options: MappingOptions) -> [ControlMatch] {
        guard text.utf8.count <= EmbeddedMapper.maxCachedTextBytes else {
            return matches(for: text, options: options)
        }
        let key = CacheKey(text: text, options: options)
        if let cached = cache.value(for: key) {
            return cached
        }
        let computed = matches(for: text, options: options)
        cache.insert(computed, for: key)
        return computed
    }

    private func matches(for text: String, options: MappingOptions) -> [ControlMatch] {
        let query = QueryTerms(text, lexicon: lexicon, vocabulary: vocabulary)
        guard !query.isEmpty else {
            return []
        }
        var out: [ControlMatch] = []
        let nistName = FrameworkID.nist80053r5.catalogName
        // The 800-53 ranking is computed once per text: its answers and the projection's sources.
        var nistHits: [(index: Int, score: Float)]?
        func nistRanking(_ nist: SearchIndex) -> [(index: Int, score: Float)] {
            if let nistHits {
                return nistHits
            }
            let hits = nist.rank(query, limit: max(options.topK, CrosswalkProjection.sourceCount))
            nistHits = hits
            return hits
        }
        for framework in options.frameworks {
            guard let index = indexes[framework.catalogName] else {
                continue
            }
            var boosts: [Float]?
            if let projection = projections[framework.catalogName], let nist = indexes[nistName] {
                let sources = nistRanking(nist).prefix(CrosswalkProjection.sourceCount)
                boosts = projection.boosts(from: Array(sources), count: index.count)
            }
            let hits =
                framework.catalogName == nistName && !projections.isEmpty
                ? Array(nistRanking(index).prefix(options.topK))
                : index.rank(query, limit: options.topK, boosts: boosts)
            for hit in hits {
                let match = ControlMatch(
                    frameworkID: framework,
                    controlID: index.ids[hit.index],
                    family: index.families[hit.index],
                    similarity: SimilarityCalibration.calibrated(hit.score, knots: index.calibration)
                )
                if options.accepts(similarity: match.similarity) {
                    out.append(match)
                }
            }
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
