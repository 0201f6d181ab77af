/// The bytes libFuzzer hands to a harness, copied into an array.
/// - Parameters:
///   - data: The input's first byte (may be `nil` for an empty input).
///   - size: The input's length.
/// - Returns: The bytes.
public func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Stops the run with a message libFuzzer records as a crash: a broken invariant, not a rejected input.
/// - Parameter message: What went wrong.
public func invariantBroken(_ message: String) -> Never {
    fatalError("invariant broken: \(message)")
}
