import Firehose
import FuzzSupport

/// Firehose request bodies: any bytes decode to a batch or fail with a `FirehoseError`; every record of a
/// decoded batch unpacks without crashing, within the unpacker's limits.
func fuzzFirehoseBody(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    let head = FirehoseRequestHead(requestID: "fuzz-request", protocolVersion: "1.0")
    let decoder = FirehoseBatchDecoder()
    guard let batch = try? decoder.decode(body: bytes, head: head) else { return 0 }
    let unpacker = RecordUnpacker()
    for record in batch.records {
        if case .events(let events) = unpacker.unpack(record) {
            for event in events where event.bytes.count > 64 << 20 {
                invariantBroken("an event of \(event.bytes.count) bytes")
            }
        }
    }
    return 0
}

/// The executable's entry point: libFuzzer's driver on ``fuzzFirehoseBody(_:_:)``.
@_cdecl("FuzzFirehoseBody_main")
public func fuzzerEntryPoint(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzFirehoseBody)
}
