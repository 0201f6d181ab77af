import NetworkTestSupport

extension SplitMix64 {
    /// Bytes mixing random runs with copies of earlier bytes at random distances (up to and past the window).
    static func mixed(count: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
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
