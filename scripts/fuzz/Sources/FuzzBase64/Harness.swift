import Codecs
import FuzzSupport

/// Base64: any bytes decode or fail with a `Base64Error`; encoding round-trips; a strict decode of padded
/// text re-encodes to the same text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBase64(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    if let decoded = try? Base64.decode(bytes), decoded.count > bytes.count {
        invariantBroken("decoded more bytes than the input had")
    }
    let encoded = Base64.encode(bytes)
    guard (try? Base64.decode(encoded)) == bytes else {
        invariantBroken("encode/decode round trip changed \(bytes.count) bytes")
    }
    let strict = Base64.DecodingOptions(ignoresWhitespace: false, requiresPadding: true)
    if let decoded = try? Base64.decode(bytes, options: strict), Base64.encode(decoded) != bytes {
        invariantBroken("a strictly decoded text does not re-encode to itself")
    }
    return 0
}
