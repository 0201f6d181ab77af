import FuzzSupport
import HTTPCore

/// HTTP/1.1 request heads and chunked bodies: any bytes, fed whole and then as a prefix followed by the whole
/// buffer (the parser's incremental contract), must parse to the same head or fail with an `HTTPParseError`; a
/// parsed head never claims more bytes than it was given.
func fuzzHTTPHead(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    var whole = RequestHeadParser()
    let wholeResult = try? whole.parse(bytes)
    if case .complete(_, let consumed)? = wholeResult, consumed > bytes.count {
        invariantBroken("consumed \(consumed) of \(bytes.count) bytes")
    }
    if bytes.count > 1 {
        let split = Int(bytes[0]) % bytes.count
        var pieces = RequestHeadParser()
        var pieceResult = try? pieces.parse(Array(bytes[..<split]))
        if case .needMoreData? = pieceResult {
            pieceResult = try? pieces.parse(bytes)
        }
        if case .complete(let head, _)? = wholeResult, case .complete(let other, _)? = pieceResult,
            head.method != other.method || head.target != other.target
        {
            invariantBroken("split parse differs")
        }
    }
    var decoder = ChunkedDecoder(maxBodyBytes: 1 << 20)
    var body: [UInt8] = []
    _ = bytes.withUnsafeBytes { buffer in try? decoder.decode(buffer, into: &body) }
    if body.count > 1 << 20 { invariantBroken("chunked body beyond its cap") }
    return 0
}

/// The executable's entry point: libFuzzer's driver on ``fuzzHTTPHead(_:_:)``.
@_cdecl("FuzzHTTPHead_main")
public func fuzzerEntryPoint(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzHTTPHead)
}
