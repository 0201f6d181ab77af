/// A deterministic random generator (SplitMix64), so a failing test names a seed that reproduces it.
struct SplitMix: RandomNumberGenerator {
    /// The generator's state; the seed.
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ value >> 30) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ value >> 27) &* 0x94D0_49BB_1331_11EB
        return value ^ value >> 31
    }
}

extension SplitMix {
    /// Bytes mixing random runs with copies of earlier bytes at random distances (up to and past the window).
    static func mixed(count: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix(state: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            let length = Int.random(in: 1...300, using: &random)
            if bytes.count > 4 && Bool.random(using: &random) {
                let distance = Int.random(in: 1...min(bytes.count, 40_000), using: &random)
                for _ in 0..<length where bytes.count < count { bytes.append(bytes[bytes.count - distance]) }
            } else {
                let alphabet = UInt8.random(in: 1...255, using: &random)
                for _ in 0..<length where bytes.count < count {
                    bytes.append(UInt8.random(in: 0...alphabet, using: &random))
                }
            }
        }
        return bytes
    }
}
