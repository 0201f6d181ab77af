/// The bit input of ``DeflateDecoder``: a 64-bit buffer over an input in memory, least significant bit first.
///
/// ``refill()`` loads eight bytes at once, unaligned, while eight remain (byte by byte near the end, with zeros
/// standing in past it) and leaves at least 56 bits: a whole match (a literal/length code, its extra bits, a
/// distance code and its extra bits, 48 bits at most) per refill. A value type, so a decoding loop keeps it in
/// registers and stores it back once.
struct DeflateBitReader {
    /// The input.
    let input: UnsafePointer<UInt8>
    /// The input's size.
    let inputEnd: Int
    /// The next input byte to load (past `inputEnd` by the zeros loaded near the end).
    var position: Int
    /// The buffered bits, the next one lowest; bits above ``bitCount`` are the following input bits or zero.
    var bits: UInt64 = 0
    /// How many bits of ``bits`` are unread.
    var bitCount = 0

    /// A reader starting at `start`.
    init(input: UnsafePointer<UInt8>, count: Int, start: Int) {
        self.input = input
        inputEnd = count
        position = start
    }

    /// The offset of the first input byte not wholly read.
    var consumed: Int { (position * 8 - bitCount + 7) / 8 }

    /// Whether bits past the input's end (the stand-in zeros) have been read.
    var hasReadPastTheEnd: Bool { position * 8 - bitCount > inputEnd * 8 }

    /// Tops the buffer up to at least 56 bits.
    /// - Returns: `false` once far more zeros than the buffer holds stood in for missing input: bits past the
    ///   end were read, so the data was cut short.
    @inline(__always)
    mutating func refill() -> Bool {
        if inputEnd - position >= 8 {
            // Bits loaded past the whole bytes counted are the next input bits themselves; later loads OR the same.
            bits |= UnsafeRawPointer(input + position).loadUnaligned(as: UInt64.self).littleEndian << bitCount
            position += (63 - bitCount) >> 3
            bitCount |= 56
            return true
        }
        return refillNearTheEnd()
    }

    private mutating func refillNearTheEnd() -> Bool {
        while bitCount <= 56 {
            if position < inputEnd {
                bits |= UInt64(input[position]) << bitCount
            } else if position - inputEnd >= 16 {
                return false
            }
            position += 1
            bitCount += 8
        }
        return true
    }

    /// Discards `count` bits.
    @inline(__always)
    mutating func drop(_ count: Int) {
        bits >>= UInt64(count)
        bitCount -= count
    }

    /// The next `count` bits as a number, consumed.
    @inline(__always)
    mutating func take(_ count: Int) -> Int {
        let value = Int(truncatingIfNeeded: bits) & (1 << count - 1)
        drop(count)
        return value
    }

    /// Drops to the next byte boundary and gives back the whole bytes still buffered, for a stored block.
    mutating func alignToByte() {
        drop(bitCount & 7)
        position -= bitCount >> 3
        (bits, bitCount) = (0, 0)
    }
}
