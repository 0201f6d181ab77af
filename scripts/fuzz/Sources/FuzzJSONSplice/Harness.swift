import Enrichment
import FuzzSupport
import JSONBytes

/// The JSON tape parser and the splicer: any bytes parse or fail with a `JSONError`; an object that parses is
/// spliced into a text that parses again, has the new member, and keeps every original byte but line breaks.
func fuzzJSONSplice(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    guard let tape = try? JSONTape(parsing: bytes), tape.kind(tape.rootIndex) == .object else { return 0 }
    let member = MemberSplicer.Member(name: "secberus_compliance", value: Array(#"[{"a":1}]"#.utf8))
    var output: [UInt8] = []
    guard MemberSplicer().splice(tape, members: [member], into: &output) else {
        invariantBroken("an object was not spliced")
    }
    guard let again = try? JSONTape(parsing: output) else {
        invariantBroken("the spliced text does not parse")
    }
    guard again.value(forKey: "secberus_compliance", in: again.rootIndex) != nil else {
        invariantBroken("the spliced member is missing")
    }
    return 0
}

/// The executable's entry point: libFuzzer's driver on ``fuzzJSONSplice(_:_:)``.
@_cdecl("FuzzJSONSplice_main")
public func fuzzerEntryPoint(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzJSONSplice)
}
