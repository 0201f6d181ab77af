import Synchronization

/// A bounded, thread-safe least-recently-used cache.
///
/// Lookups and insertions take a `Mutex`; values are computed by the caller outside the lock.
/// Entries live in an array linked as a doubly linked list (most recent at the head); when the cache
/// is full, an insertion reuses the least recently used entry.
final class LRUCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var key: Key
        var value: Value
        var newer: Int
        var older: Int
    }

    private struct State {
        var slots: [Key: Int] = [:]
        var entries: [Entry] = []
        var newest = -1
        var oldest = -1
    }

    /// The most entries kept; 0 disables the cache.
    let capacity: Int
    private let state = Mutex(State())
    private let hits = Atomic<Int>(0)
    private let misses = Atomic<Int>(0)

    /// Creates an empty cache.
    /// - Parameter capacity: The most entries kept (negative values count as 0).
    init(capacity: Int) {
        self.capacity = max(capacity, 0)
    }

    /// Number of entries.
    var count: Int {
        state.withLock { $0.slots.count }
    }

    /// Lookups that found their key, since creation.
    var hitCount: Int { hits.load(ordering: .relaxed) }

    /// Lookups that did not find their key, since creation.
    var missCount: Int { misses.load(ordering: .relaxed) }

    /// The cached value for a key, marking it most recently used; counted in ``hitCount`` or ``missCount``.
    /// - Parameter key: The key.
    /// - Returns: The value, or nil.
    func value(for key: Key) -> Value? {
        let found: Value? = state.withLock { state in
            guard let slot = state.slots[key] else {
                return nil
            }
            LRUCache.moveToFront(slot, in: &state)
            return state.entries[slot].value
        }
        if found == nil {
            misses.add(1, ordering: .relaxed)
        } else {
            hits.add(1, ordering: .relaxed)
        }
        return found
    }

    /// Stores a value, evicting the least recently used entry when full.
    /// - Parameters:
    ///   - value: The value.
    ///   - key: The key.
    func insert(_ value: Value, for key: Key) {
        guard capacity > 0 else {
            return
        }
        state.withLock { state in
            if let slot = state.slots[key] {
                state.entries[slot].value = value
                LRUCache.moveToFront(slot, in: &state)
                return
            }
            let slot: Int
            if state.entries.count < capacity {
                slot = state.entries.count
                state.entries.append(Entry(key: key, value: value, newer: -1, older: -1))
            } else {
                slot = state.oldest
                LRUCache.unlink(slot, in: &state)
                state.slots[state.entries[slot].key] = nil
                state.entries[slot].key = key
                state.entries[slot].value = value
            }
            state.slots[key] = slot
            LRUCache.linkAtFront(slot, in: &state)
        }
    }

    private static func moveToFront(_ slot: Int, in state: inout State) {
        guard state.newest != slot else {
            return
        }
        unlink(slot, in: &state)
        linkAtFront(slot, in: &state)
    }

    private static func unlink(_ slot: Int, in state: inout State) {
        let newer = state.entries[slot].newer
        let older = state.entries[slot].older
        if newer >= 0 {
            state.entries[newer].older = older
        } else {
            state.newest = older
        }
        if older >= 0 {
            state.entries[older].newer = newer
        } else {
            state.oldest = newer
        }
        state.entries[slot].newer = -1
        state.entries[slot].older = -1
    }

    private static func linkAtFront(_ slot: Int, in state: inout State) {
        state.entries[slot].older = state.newest
        state.entries[slot].newer = -1
        if state.newest >= 0 {
            state.entries[state.newest].newer = slot
        }
        state.newest = slot
        if state.oldest < 0 {
            state.oldest = slot
        }
    }
}
