/// An insert-only hash table that gives short byte strings dense ids (0, 1, 2, ...).
///
/// Used for the engine's word and stem tables: lookups take a borrowed buffer, so the tokeniser
/// never allocates a key. Open addressing with linear probing over FNV-1a hashes; the load factor
/// stays at or below one half.
struct ByteStringTable: Sendable {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var starts: [Int32] = []
    private var arena: [UInt8] = []

    /// Creates an empty table.
    /// - Parameter capacity: Expected number of entries (the table grows beyond it as needed).
    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 {
            size <<= 1
        }
        slots = [Int32](repeating: -1, count: size)
        starts.append(0)
    }

    /// Number of entries.
    var count: Int { hashes.count }

    /// The id of a byte string, if present.
    /// - Parameter key: The bytes.
    /// - Returns: The id, or nil.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = ByteStringTable.hash(key)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while true {
            let entry = slots[slot]
            if entry < 0 {
                return nil
            }
            if hashes[Int(entry)] == hash && equals(Int(entry), key) {
                return entry
            }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    /// The id of a byte string, inserting it when absent.
    /// - Parameter key: The bytes.
    /// - Returns: The id and whether the string was new.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int32, inserted: Bool) {
        if let id = find(key) {
            return (id, false)
        }
        if (hashes.count + 1) * 2 > slots.count {
            grow()
        }
        let hash = ByteStringTable.hash(key)
        let id = Int32(hashes.count)
        hashes.append(hash)
        arena.append(contentsOf: key)
        starts.append(Int32(arena.count))
        place(id, hash: hash)
        return (id, true)
    }

    /// The bytes of an entry.
    /// - Parameter id: An id returned by ``insert(_:)``.
    /// - Returns: The stored bytes.
    func bytes(_ id: Int32) -> ArraySlice<UInt8> {
        arena[Int(starts[Int(id)])..<Int(starts[Int(id) + 1])]
    }

    private func equals(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[id])
        let end = Int(starts[id + 1])
        guard end - start == key.count else {
            return false
        }
        return arena.withUnsafeBufferPointer { stored in
            var i = 0
            while i < key.count {
                if stored[start + i] != key[i] {
                    return false
                }
                i += 1
            }
            return true
        }
    }

    private mutating func place(_ id: Int32, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] >= 0 {
            slot = (slot + 1) & (slots.count - 1)
        }
        slots[slot] = id
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for id in 0..<hashes.count {
            place(Int32(id), hash: hashes[id])
        }
    }

    /// FNV-1a, 64-bit, with a final avalanche so the low bits used for slots are well mixed.
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return h
    }
}
