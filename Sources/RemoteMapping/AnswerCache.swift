import Mapping
import Synchronization

/// The API's answers per text and options, bounded in count (least recently used evicted first) and in age.
///
/// Entries sit in fixed slots chained from most to least recently used; an expired entry is dropped when it is
/// looked up, and a full cache reuses the slot at the cold end. All work happens under one `Mutex`.
final class AnswerCache: Sendable {
    /// What an answer is cached under.
    struct Key: Hashable, Sendable {
        /// The text as mapped.
        let text: String
        /// The options it was mapped with.
        let options: MappingOptions
    }

    private struct Slot {
        var key: Key
        var matches: [ControlMatch]
        var expires: ContinuousClock.Instant
        var warmer: Int
        var colder: Int
    }

    private struct Table {
        var index: [Key: Int] = [:]
        var slots: [Slot] = []
        var hottest = -1
        var coldest = -1
    }

    /// The most entries kept.
    let capacity: Int
    /// How long an entry is used.
    let timeToLive: Duration
    private let table = Mutex(Table())

    /// Creates an empty cache; a capacity or lifetime of zero disables it.
    /// - Parameters:
    ///   - capacity: The most entries kept.
    ///   - timeToLive: How long an entry is used.
    init(capacity: Int, timeToLive: Duration) {
        self.capacity = timeToLive > .zero ? max(0, capacity) : 0
        self.timeToLive = timeToLive
    }

    /// The number of entries (expired ones included until they are looked up or reused).
    var count: Int { table.withLock { $0.index.count } }

    /// The cached answer, unless absent or expired; a hit becomes the most recently used entry.
    /// - Parameters:
    ///   - key: Text and options.
    ///   - now: The current instant.
    /// - Returns: The matches, or `nil`.
    func matches(for key: Key, now: ContinuousClock.Instant = .now) -> [ControlMatch]? {
        guard capacity > 0 else { return nil }
        return table.withLock { table in
            guard let slot = table.index[key] else { return nil }
            guard table.slots[slot].expires > now else {
                AnswerCache.detach(slot, from: &table)
                table.index[key] = nil
                AnswerCache.attachColdest(slot, to: &table)
                table.slots[slot].expires = now
                return nil
            }
            AnswerCache.detach(slot, from: &table)
            AnswerCache.attachHottest(slot, to: &table)
            return table.slots[slot].matches
        }
    }

    /// Stores an answer as the most recently used entry, replacing the least recently used (or an expired) one
    /// when the cache is full.
    /// - Parameters:
    ///   - matches: The answer.
    ///   - key: Text and options.
    ///   - now: The current instant.
    func store(_ matches: [ControlMatch], for key: Key, now: ContinuousClock.Instant = .now) {
        guard capacity > 0 else { return }
        let expires = now + timeToLive
        table.withLock { table in
            let slot: Int
            if let existing = table.index[key] {
                slot = existing
                AnswerCache.detach(slot, from: &table)
            } else if table.slots.count < capacity {
                slot = table.slots.count
                table.slots.append(Slot(key: key, matches: [], expires: expires, warmer: -1, colder: -1))
            } else {
                slot = table.coldest
                AnswerCache.detach(slot, from: &table)
                if table.index[table.slots[slot].key] == slot { table.index[table.slots[slot].key] = nil }
            }
            table.slots[slot].key = key
            table.slots[slot].matches = matches
            table.slots[slot].expires = expires
            table.index[key] = slot
            AnswerCache.attachHottest(slot, to: &table)
        }
    }

    private static func detach(_ slot: Int, from table: inout Table) {
        let warmer = table.slots[slot].warmer
        let colder = table.slots[slot].colder
        if warmer >= 0 { table.slots[warmer].colder = colder } else { table.hottest = colder }
        if colder >= 0 { table.slots[colder].warmer = warmer } else { table.coldest = warmer }
        table.slots[slot].warmer = -1
        table.slots[slot].colder = -1
    }

    private static func attachHottest(_ slot: Int, to table: inout Table) {
        table.slots[slot].colder = table.hottest
        if table.hottest >= 0 { table.slots[table.hottest].warmer = slot }
        table.hottest = slot
        if table.coldest < 0 { table.coldest = slot }
    }

    private static func attachColdest(_ slot: Int, to table: inout Table) {
        table.slots[slot].warmer = table.coldest
        if table.coldest >= 0 { table.slots[table.coldest].colder = slot }
        table.coldest = slot
        if table.hottest < 0 { table.hottest = slot }
    }
}
