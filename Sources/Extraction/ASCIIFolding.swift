/// Whether the bytes at `start` in `source` equal `lower` (already lower case) when ASCII letters are folded
/// to lower case; the caller guarantees `start + lower.count <= source.count`.
func asciiFoldedEqual(_ source: UnsafeBufferPointer<UInt8>, _ start: Int, _ lower: [UInt8]) -> Bool {
    for index in 0..<lower.count {
        let byte = source[start + index]
        let folded = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
        if folded != lower[index] { return false }
    }
    return true
}
