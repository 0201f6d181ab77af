/// The distinct values of a BYTE_ARRAY column chunk, kept as the PLAIN-encoded body of its dictionary page.
///
/// An open-addressing hash table (linear probing, at most half full) maps a value to its index; the values
/// themselves live once, in ``plainBody``, as 4-byte little-endian lengths followed by the bytes.
struct ByteArrayDictionary {
    /// Where an entry's bytes are and its hash.
    struct Entry {
        /// Where the bytes start in ``plainBody`` (after the length prefix).
        let start: Int
        /// The length in bytes.
        let length: Int
        /// The hash, kept for growing the table and for cheap mismatches.
        let hash: UInt64
    }

    /// The dictionary page body: every entry PLAIN-encoded, in index order.
    private(set) var plainBody: [UInt8] = []
    /// The entries in index order.
    private(set) var entries: [Entry] = []
    /// The hash table: the entry index + 1 in the low 32 bits (0 for an empty slot) and the hash's high 32 bits in
    /// the high ones, so most probes are settled without touching the entries. Its size is a power of two.
    private var slots: [UInt64] = Array(repeating: 0, count: 1024)

    /// The number of entries.
    var count: Int { entries.count }

    /// Finds a value, adding it when it is new and the body stays within `limit` bytes.
    /// - Parameters:
    ///   - value: The value's bytes.
    ///   - limit: The largest allowed size of ``plainBody`` in bytes.
    /// - Returns: The entry index, or `nil` when the value is new and would make the body larger than `limit`.
    mutating func index(of value: UnsafeRawBufferPointer, limit: Int) -> UInt32? {
        let hash = Self.hash(value)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        let found: Int? = plainBody.withUnsafeBytes { body in
            entries.withUnsafeBufferPointer { entries in
                slots.withUnsafeBufferPointer { slots in
                    while true {
                        let stored = slots[slot]
                        if stored == 0 { return nil }
                        if stored >> 32 == hash >> 32 {
                            let index = Int(truncatingIfNeeded: stored & 0xFFFF_FFFF) - 1
                            let entry = entries[index]
                            if entry.hash == hash && entry.length == value.count
                                && Self.equal(body.baseAddress! + entry.start, value)
                            {
                                return index
                            }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        if let found { return UInt32(found) }
        guard plainBody.count + 4 + value.count <= limit else { return nil }
        let entry = entries.count
        let length = UInt32(value.count)
        plainBody.append(UInt8(truncatingIfNeeded: length))
        plainBody.append(UInt8(truncatingIfNeeded: length >> 8))
        plainBody.append(UInt8(truncatingIfNeeded: length >> 16))
        plainBody.append(UInt8(truncatingIfNeeded: length >> 24))
        entries.append(Entry(start: plainBody.count, length: value.count, hash: hash))
        plainBody.append(contentsOf: value)
        slots[slot] = Self.slotValue(entry: entry, hash: hash)
        if entries.count * 2 > slots.count { grow() }
        return UInt32(entry)
    }

    /// Calls `body` with the bytes of an entry.
    /// - Parameters:
    ///   - entry: The entry index.
    ///   - body: The closure, given a view valid only during the call.
    /// - Returns: What `body` returns.
    func withEntry<Result>(_ entry: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let location = entries[entry]
        return plainBody.withUnsafeBytes { all in
            body(UnsafeRawBufferPointer(rebasing: all[location.start..<(location.start + location.length)]))
        }
    }

    /// Whether the bytes at `stored` equal `value` (of the same length), 8 bytes at a time.
    private static func equal(_ stored: UnsafeRawPointer, _ value: UnsafeRawBufferPointer) -> Bool {
        let count = value.count
        guard count > 0 else { return true }
        let other = value.baseAddress!
        var offset = 0
        while offset + 8 <= count {
            if stored.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                != other.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            {
                return false
            }
            offset += 8
        }
        while offset < count {
            let left = stored.load(fromByteOffset: offset, as: UInt8.self)
            if left != other.load(fromByteOffset: offset, as: UInt8.self) {
                return false
            }
            offset += 1
        }
        return true
    }

    /// Doubles the table and re-inserts every entry.
    private mutating func grow() {
        let size = slots.count * 2
        var grown = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while grown[slot] != 0 { slot = (slot + 1) & mask }
            grown[slot] = Self.slotValue(entry: index, hash: entry.hash)
        }
        slots = grown
    }

    /// A slot's content for an entry: the hash's high half and the index + 1.
    private static func slotValue(entry: Int, hash: UInt64) -> UInt64 {
        hash & 0xFFFF_FFFF_0000_0000 | UInt64(entry + 1)
    }

    /// A fast non-cryptographic hash: 8 bytes at a time, multiply and fold.
    static func hash(_ value: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = UInt64(value.count) &* multiplier
        var offset = 0
        while offset + 8 <= value.count {
            let word = value.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = (hash ^ word) &* multiplier
            hash ^= hash >> 29
            offset += 8
        }
        if offset < value.count {
            var word: UInt64 = 0
            for index in offset..<value.count {
                word |= UInt64(value[index]) << UInt64((index - offset) * 8)
            }
            hash = (hash ^ word) &* multiplier
            hash ^= hash >> 29
        }
        hash = (hash ^ (hash >> 32)) &* multiplier
        return hash ^ (hash >> 31)
    }
}
