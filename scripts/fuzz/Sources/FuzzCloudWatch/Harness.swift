import Codecs
import Firehose
import FuzzSupport

/// CloudWatch Logs subscription records: the fuzzer's bytes are gzipped the way CloudWatch Logs does, so the
/// envelope parser (message type, log group, log events) sees arbitrary JSON; it must yield events, a control
/// message, an empty record or a lossless wrapper - never crash, never lose the record.
func fuzzCloudWatch(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    let record = Gzip.deflate(bytes)
    switch RecordUnpacker().unpack(record) {
    case .events(let events):
        if events.isEmpty && !bytes.contains(UInt8(ascii: "[")) {
            invariantBroken("a record without log events vanished")
        }
    case .control, .empty:
        break
    }
    return 0
}

/// The executable's entry point: libFuzzer's driver on ``fuzzCloudWatch(_:_:)``.
@_cdecl("FuzzCloudWatch_main")
public func fuzzerEntryPoint(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzCloudWatch)
}
