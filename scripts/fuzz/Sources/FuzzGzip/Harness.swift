import Codecs
import FuzzSupport

/// gzip inflate with a cap: any bytes inflate or fail with a `GzipError`, never beyond the cap; what deflate
/// writes inflates back to the same bytes.
func fuzzGzip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    let cap = 1 << 20
    if let inflated = try? Gzip.inflate(bytes, limit: cap), inflated.count > cap {
        invariantBroken("inflated \(inflated.count) bytes past a cap of \(cap)")
    }
    let roundTrip = try? Gzip.inflate(Gzip.deflate(bytes), limit: max(1, bytes.count))
    if roundTrip != bytes && !(bytes.isEmpty && roundTrip == []) {
        invariantBroken("deflate/inflate round trip changed \(bytes.count) bytes")
    }
    return 0
}

/// The executable's entry point: libFuzzer's driver on ``fuzzGzip(_:_:)``.
@_cdecl("FuzzGzip_main")
public func fuzzerEntryPoint(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzGzip)
}
