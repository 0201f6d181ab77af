import Codecs
import FuzzSupport

/// Base64: any bytes decode or fail with a `Base64Error`; encoding round-trips; what a strict decode of padded
/// text yields survives re-encoding (the text itself may differ in its unused padding bits, which RFC 4648 lets
/// decoders accept).
func fuzzBase64(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    if let decoded = try? Base64.decode(bytes), decoded.count > bytes.count {
        invariantBroken("decoded more bytes than the input had")
    }
    let encoded = Base64.encode(bytes)
    guard (try? Base64.decode(encoded)) == bytes else {
        invariantBroken("encode/decode round trip changed \(bytes.count) bytes")
    }
    let strict = Base64.DecodingOptions(ignoresWhitespace: false, requiresPadding: true)
    if let decoded = try? Base64.decode(bytes, options: strict),
        (try? Base64.decode(Base64.encode(decoded), options: strict)) != decoded
    {
        invariantBroken("strictly decoded bytes do not survive re-encoding")
    }
    return 0
}

/// The executable's entry point: libFuzzer's driver on ``fuzzBase64(_:_:)``.
@_cdecl("FuzzBase64_main")
public func fuzzerEntryPoint(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzBase64)
}
