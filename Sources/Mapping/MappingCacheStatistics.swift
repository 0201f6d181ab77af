/// Lookups in the embedded mapper's LRU cache since it was created (see ``EmbeddedMapper/cacheStatistics``).
public struct MappingCacheStatistics: Sendable, Hashable {
    /// Lookups answered from the cache.
    public var hits: Int
    /// Lookups that had to rank the text.
    public var misses: Int
    /// Texts in the cache now.
    public var entries: Int

    /// Creates statistics.
    /// - Parameters:
    ///   - hits: Lookups answered from the cache.
    ///   - misses: Lookups that had to rank the text.
    ///   - entries: Texts in the cache now.
    public init(hits: Int, misses: Int, entries: Int) {
        self.hits = hits
        self.misses = misses
        self.entries = entries
    }
}
