/// What to map texts to, and how many matches to keep.
public struct MappingOptions: Sendable, Hashable {
    /// Which matches are kept: those at or above a similarity, or at or above a confidence bucket.
    public enum Threshold: Sendable, Hashable {
        /// Keep matches whose similarity is at least this value (0.01...1.0).
        case minSimilarity(Double)
        /// Keep matches whose confidence is at least this bucket.
        case minConfidence(Confidence)
    }

    /// The allowed range of ``topK``.
    public static let topKRange = 1...50
    /// The default ``topK``: 3.
    public static let defaultTopK = 3
    /// The allowed range of a ``Threshold/minSimilarity(_:)`` value.
    public static let similarityRange = 0.01...1.0
    /// The default threshold: ``Confidence/low`` (drops "Very Low" matches).
    public static let defaultThreshold = Threshold.minConfidence(.low)

    /// Frameworks to map to, in output order. Default: ``FrameworkID/defaultSet``.
    public var frameworks: [FrameworkID]
    /// Which matches are kept. Default: ``defaultThreshold``.
    public var threshold: Threshold
    /// Matches kept per framework and text, in ``topKRange``. Default: 3.
    public var topK: Int

    /// Creates options; call ``validated()`` (the mapper does) to check them.
    /// - Parameters:
    ///   - frameworks: Frameworks to map to, in output order.
    ///   - threshold: Which matches are kept.
    ///   - topK: Matches kept per framework and text.
    public init(
        frameworks: [FrameworkID] = FrameworkID.defaultSet,
        threshold: Threshold = MappingOptions.defaultThreshold,
        topK: Int = MappingOptions.defaultTopK
    ) {
        self.frameworks = frameworks
        self.threshold = threshold
        self.topK = topK
    }

    /// These options checked, with duplicate frameworks removed (first occurrence kept).
    /// - Returns: The normalised options.
    /// - Throws: ``MappingError`` with ``MappingError/Code/invalidRequest`` (no framework),
    ///   ``MappingError/Code/invalidThreshold`` or ``MappingError/Code/invalidTopK``.
    public func validated() throws(MappingError) -> MappingOptions {
        var seen = Set<FrameworkID>()
        let unique = frameworks.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else {
            throw MappingError(.invalidRequest, "frameworks: at least one framework is required")
        }
        if case .minSimilarity(let value) = threshold {
            guard value.isFinite, MappingOptions.similarityRange.contains(value) else {
                throw MappingError(.invalidThreshold, "min_similarity: must be a number from 0.01 to 1.0, got \(value)")
            }
        }
        guard MappingOptions.topKRange.contains(topK) else {
            throw MappingError(.invalidTopK, "topk: must be an integer from 1 to 50, got \(topK)")
        }
        return MappingOptions(frameworks: unique, threshold: threshold, topK: topK)
    }

    /// Builds options from raw request values (the `/v1/map` fields), validating each.
    /// - Parameters:
    ///   - frameworks: Framework keys, or nil for ``FrameworkID/defaultSet``.
    ///   - minSimilarity: `min_similarity`, or nil.
    ///   - minConfidence: `min_confidence` (`"High"`, `"Medium"`, `"Low"`, `"Very Low"`), or nil.
    ///   - topK: `topk`, or nil for the default.
    /// - Returns: Validated options; the threshold defaults to ``defaultThreshold`` when neither is given.
    /// - Throws: ``MappingError`` naming the offending field.
    public static func parse(
        frameworks: [String]?,
        minSimilarity: Double?,
        minConfidence: String?,
        topK: Int?
    ) throws(MappingError) -> MappingOptions {
        var ids: [FrameworkID] = FrameworkID.defaultSet
        if let frameworks {
            ids = []
            for key in frameworks {
                guard let id = FrameworkID(rawValue: key) else {
                    let allowed = FrameworkID.allCases.map(\.rawValue).joined(separator: ", ")
                    throw MappingError(
                        .unknownFramework,
                        "frameworks: unknown framework \"\(key)\"; allowed: \(allowed)"
                    )
                }
                ids.append(id)
            }
        }
        let threshold: Threshold
        switch (minSimilarity, minConfidence) {
        case (.some, .some):
            throw MappingError(.bothThresholds, "min_similarity and min_confidence: give at most one of them")
        case (.some(let value), nil):
            threshold = .minSimilarity(value)
        case (nil, .some(let name)):
            guard let confidence = Confidence(rawValue: name) else {
                let allowed = Confidence.allCases.reversed().map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw MappingError(.invalidThreshold, "min_confidence: must be one of \(allowed), got \"\(name)\"")
            }
            threshold = .minConfidence(confidence)
        case (nil, nil):
            threshold = defaultThreshold
        }
        return try MappingOptions(frameworks: ids, threshold: threshold, topK: topK ?? defaultTopK).validated()
    }

    /// Whether a match passes the threshold: its similarity against ``Threshold/minSimilarity(_:)``, its own
    /// confidence (which a remote API may set) against ``Threshold/minConfidence(_:)``.
    /// - Parameter match: A match.
    /// - Returns: `true` when the match is kept.
    public func accepts(_ match: ControlMatch) -> Bool {
        switch threshold {
        case .minSimilarity(let value):
            return match.similarity >= value - 1e-9
        case .minConfidence(let confidence):
            return match.confidence >= confidence
        }
    }

    /// Whether a match with this similarity passes the threshold.
    /// - Parameter similarity: A rounded similarity.
    /// - Returns: `true` when the match is kept.
    public func accepts(similarity: Double) -> Bool {
        switch threshold {
        case .minSimilarity(let value):
            return similarity >= value - 1e-9
        case .minConfidence(let confidence):
            return Confidence.bucket(forSimilarity: similarity) >= confidence
        }
    }
}
