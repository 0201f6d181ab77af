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

/// A harness: one input's bytes and length; returns 0.
public typealias FuzzHarness = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
private func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: FuzzHarness
) -> CInt

/// Runs libFuzzer's driver (command-line flags as usual) on `harness`.
///
/// SwiftPM names an executable's entry point `<Target>_main` and links `main` to it, so each harness exports
/// that symbol and calls this instead of relying on libFuzzer's own `main` (which is then never linked in).
/// - Parameters:
///   - argc: The argument count.
///   - argv: The arguments.
///   - harness: The function that runs one input.
/// - Returns: libFuzzer's exit status.
public func runFuzzer(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
    _ harness: FuzzHarness
) -> CInt {
    var count = argc
    var arguments = argv
    return llvmFuzzerRunDriver(&count, &arguments, harness)
}
