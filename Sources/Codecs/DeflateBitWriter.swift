/// Writes a deflate bit stream (RFC 1951 §3.1.1: least significant bit first) into memory the caller owns.
///
/// Bits collect in a 64-bit register and leave it 32 at a time, so one ``put(_:count:)`` of up to 32 bits costs a
/// shift, an or and at most one store. The writer never writes past `capacity`: it traps instead, because the
/// caller sized the memory from the exact cost of what it writes.
struct DeflateBitWriter {
    /// Where the stream is written.
    private let base: UnsafeMutablePointer<UInt8>
    /// The bytes `base` holds.
    private let capacity: Int
    /// Bytes written so far (bits still in the register not counted).
    private(set) var byteCount: Int
    /// Bits not yet written, lowest first.
    private var register: UInt64 = 0
    /// How many bits `register` holds (always below 32 between calls).
    private var pending = 0

    /// Creates a writer.
    /// - Parameters:
    ///   - base: The memory to write into.
    ///   - capacity: Its size in bytes.
    ///   - offset: Bytes of `base` already used (for example a gzip header).
    init(base: UnsafeMutablePointer<UInt8>, capacity: Int, offset: Int = 0) {
        self.base = base
        self.capacity = capacity
        byteCount = offset
    }

    /// Appends the low `count` bits of `bits` (at most 32; higher bits must be zero).
    @inline(__always)
    mutating func put(_ bits: UInt32, count: Int) {
        register |= UInt64(bits) &<< UInt64(pending)
        pending &+= count
        if pending >= 32 {
            precondition(byteCount &+ 4 <= capacity, "deflate output exceeds its reserved size")
            UnsafeMutableRawPointer(base + byteCount).storeBytes(
                of: UInt32(truncatingIfNeeded: register).littleEndian,
                as: UInt32.self
            )
            byteCount &+= 4
            register &>>= 32
            pending &-= 32
        }
    }

    /// Pads with zero bits to the next byte boundary and writes out every pending whole byte.
    mutating func alignToByte() {
        while pending > 0 {
            precondition(byteCount < capacity, "deflate output exceeds its reserved size")
            base[byteCount] = UInt8(truncatingIfNeeded: register)
            byteCount += 1
            register >>= 8
            pending = max(0, pending - 8)
        }
        register = 0
    }

    /// Copies bytes unchanged; call ``alignToByte()`` first.
    /// - Parameter bytes: The bytes to copy.
    mutating func putAligned(_ bytes: UnsafeRawBufferPointer) {
        precondition(pending == 0, "unaligned copy into a deflate stream")
        precondition(byteCount + bytes.count <= capacity, "deflate output exceeds its reserved size")
        if let source = bytes.baseAddress, bytes.count > 0 {
            UnsafeMutableRawPointer(base + byteCount).copyMemory(from: source, byteCount: bytes.count)
        }
        byteCount += bytes.count
    }
}
