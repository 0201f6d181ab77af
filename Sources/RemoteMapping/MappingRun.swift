public import Mapping

/// What mapping one batch's texts through the API gave, and who answered.
public struct MappingRun: Sendable {
    /// One match list per input text, in input order; empty for texts nobody answered.
    public var matches: [[ControlMatch]]
    /// Distinct texts among the input.
    public var distinctTexts = 0
    /// Distinct texts answered from the cache.
    public var cachedTexts = 0
    /// Distinct texts answered by the API in this run.
    public var remoteTexts = 0
    /// Distinct texts answered by the fallback (embedded) engine because the API failed.
    public var fallbackTexts = 0
    /// Distinct texts left without mappings (no fallback, or the fallback failed too).
    public var unmappedTexts = 0
    /// HTTP calls made, retries included.
    public var calls = 0
    /// Retries among ``calls`` (key refreshes after 401/403 included).
    public var retries = 0
    /// Frameworks missing from at least one answer (the API answered partially).
    public var missingFrameworks: [FrameworkID] = []
    /// The first failure that left texts to the fallback or unmapped; `nil` when the API answered everything.
    public var failure: RemoteMappingError?

    /// Creates a run.
    /// - Parameter matches: One match list per input text.
    public init(matches: [[ControlMatch]]) {
        self.matches = matches
    }

    /// Whether some texts were left without mappings.
    public var isDegraded: Bool { unmappedTexts > 0 }
}
