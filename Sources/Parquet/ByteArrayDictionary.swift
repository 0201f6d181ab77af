#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distinct values of a BYTE_ARRAY column chunk, kept as the PLAIN-encoded body of its dictionary page.
///
/// An open-addressing hash table (linear probing, at most half full) maps a value to its index; the values
/// themselves live once, in ``plainBody``, as 4-byte little-endian lengths followed by the bytes.
struct ByteArrayDictionary {
    /// The dictionary page body: every entry PLAIN-encoded, in index order.
    private(set) var plainBody: [UInt8] = []
    /// Where each entry's bytes start in ``plainBody`` (after its length prefix).
    private(set) var starts: [Int] = []
    /// Each entry's length in bytes.
    private(set) var lengths: [Int] = []
    /// Each entry's hash, kept for growing the table.
    private var hashes: [UInt64] = []
    /// The hash table: entry index + 1, or 0 for an empty slot. Its size is a power of two.
    private var slots: [Int32] = Array(repeating: 0, count: 1024)

    /// The number of entries.
    var count: Int { starts.count }

    /// Finds a value, adding it when it is new and the body stays within `limit` bytes.
    /// - Parameters:
    ///   - value: The value's bytes.
    ///   - limit: The largest allowed size of ``plainBody`` in bytes.
    /// - Returns: The entry index, or `nil` when the value is new and would make the body larger than `limit`.
    mutating func index(of value: UnsafeRawBufferPointer, limit: Int) -> UInt32? {
        let hash = Self.hash(value)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { break }
            let entry = stored - 1
            if hashes[entry] == hash && matches(entry, value) { return UInt32(entry) }
            slot = (slot + 1) & mask
        }
        guard plainBody.count + 4 + value.count <= limit else { return nil }
        let entry = starts.count
        let length = UInt32(value.count)
        plainBody.append(UInt8(truncatingIfNeeded: length))
        plainBody.append(UInt8(truncatingIfNeeded: length >> 8))
        plainBody.append(UInt8(truncatingIfNeeded: length >> 16))
        plainBody.append(UInt8(truncatingIfNeeded: length >> 24))
        starts.append(plainBody.count)
        lengths.append(value.count)
        plainBody.append(contentsOf: value)
        hashes.append(hash)
        slots[slot] = Int32(entry + 1)
        if starts.count * 2 > slots.count { grow() }
        return UInt32(entry)
    }

    /// Calls `body` with the bytes of an entry.
    /// - Parameters:
    ///   - entry: The entry index.
    ///   - body: The closure, given a view valid only during the call.
    /// - Returns: What `body` returns.
    func withEntry<Result>(_ entry: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        plainBody.withUnsafeBytes { all in
            body(UnsafeRawBufferPointer(rebasing: all[starts[entry]..<(starts[entry] + lengths[entry])]))
        }
    }

    /// Whether an entry equals a value.
    private func matches(_ entry: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        guard lengths[entry] == value.count else { return false }
        guard value.count > 0 else { return true }
        return plainBody.withUnsafeBytes { all in
            memcmp(all.baseAddress! + starts[entry], value.baseAddress!, value.count) == 0
        }
    }

    /// Doubles the table and re-inserts every entry.
    private mutating func grow() {
        let size = slots.count * 2
        var grown = [Int32](repeating: 0, count: size)
        let mask = size - 1
        for (entry, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while grown[slot] != 0 { slot = (slot + 1) & mask }
            grown[slot] = Int32(entry + 1)
        }
        slots = grown
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
