import Mapping
import Synchronization

/// The `secberus_compliance` JSON arrays of texts mapped before, kept so that a text seen again skips both the
/// mapper (and its cache lookup) and the rendering. Only for mappers whose answers are stable
/// (``ComplianceMapper/answersAreStable``); the options are fixed per cache (one per ``EventEnricher``).
///
/// Bounded by entry count and text length; when full it starts again empty (simpler than an LRU, and a text it
/// dropped is still in the engine's own cache). Texts it answers are not lookups of the engine's cache, so the
/// `lakemark_mapping_cache_*` metrics count only what reaches the engine.
final class RenderedComplianceCache: Sendable {
    /// A text with its event type, as the batch's text table keys it.
    struct Key: Hashable, Sendable {
        /// The text.
        let text: String
        /// The event type passed with it, if any.
        let hint: EventTypeHint?
    }

    /// The most entries kept: 4,096 (about 4 MB with typical texts and six controls each).
    static let defaultCapacity = 4_096
    /// Longer texts are not kept: 4,096 UTF-8 bytes.
    static let maxTextBytes = 4_096

    /// The most entries kept.
    let capacity: Int
    private let arrays = Mutex([Key: [UInt8]]())

    /// Creates an empty cache.
    /// - Parameter capacity: The most entries kept (at least 1).
    init(capacity: Int = RenderedComplianceCache.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    /// Number of entries.
    var count: Int { arrays.withLock { $0.count } }

    /// The kept array of each key, `nil` where there is none; one lock for the whole batch.
    /// - Parameter keys: The batch's distinct texts with their event types.
    /// - Returns: One entry per key.
    func arrays(for keys: [Key]) -> [[UInt8]?] {
        arrays.withLock { kept in keys.map { kept[$0] } }
    }

    /// Keeps arrays (texts longer than ``maxTextBytes`` are skipped).
    /// - Parameter entries: Keys with their rendered arrays.
    func keep(_ entries: [(key: Key, array: [UInt8])]) {
        arrays.withLock { kept in
            for entry in entries where entry.key.text.utf8.count <= Self.maxTextBytes {
                if kept.count >= capacity { kept.removeAll(keepingCapacity: true) }
                kept[entry.key] = entry.array
            }
        }
    }
}
