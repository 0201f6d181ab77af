/// SplitMix64 (Steele, Lea and Flood, 2014): a small deterministic generator shared by the tests, so a failing
/// random test names a seed that reproduces it.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// Creates a generator; the same seed gives the same sequence.
    /// - Parameter seed: The initial state.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
