import Foundation
import JSONBytes
import NetworkTestSupport
import Testing

/// The sample events of `../shared/data/events` as exact byte slices, for losslessness tests.
enum SampleCorpus {
    /// Where the shared reference material is: `$LAKEMARK_SHARED`, `<repo>/../shared`, or `/work/shared`.
    static var sharedDirectory: URL? { ReferenceMaterial.sharedDirectory(holding: "data/events") }

    /// Every JSON object event in the corpus (NDJSON lines, array elements, CloudTrail `Records`, single objects).
    static func objects() throws -> [[UInt8]] {
        guard let shared = sharedDirectory else {
            print("SKIP: ../shared/data/events not found; corpus round-trip uses only generated cases")
            return generated
        }
        let root = shared.appendingPathComponent("data/events")
        var events = generated
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard ["json", "ndjson", "jsonl"].contains(url.pathExtension), !url.path.contains("firehose-fixtures")
            else { continue }
            let bytes = [UInt8](try Data(contentsOf: url))
            if let tape = try? JSONTape(parsing: bytes) {
                events += topLevelObjects(tape)
            } else {
                for line in bytes.split(separator: UInt8(ascii: "\n"))
                where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
                    events.append(Array(line))
                }
            }
        }
        return events
    }

    private static func topLevelObjects(_ tape: JSONTape) -> [[UInt8]] {
        let root = tape.rootIndex
        var nodes: [Int] = []
        if tape.kind(root) == .array {
            nodes = Array(tape.children(root))
        } else if let records = tape.value(forKey: "Records", in: root), tape.kind(records) == .array {
            nodes = Array(tape.children(records))
        } else {
            nodes = [root]
        }
        return nodes.filter { tape.kind($0) == .object }.map { Array(tape.rawBytes($0)) }
    }

    /// The input as the output must reproduce it: line breaks as spaces, outer whitespace trimmed.
    static func normalised(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
        while let last = result.last, last == 0x20 || last == 0x09 { result.removeLast() }
        while let first = result.first, first == 0x20 || first == 0x09 { result.removeFirst() }
        return result
    }

    /// Edge cases no sample has.
    static let generated: [[UInt8]] = [
        "{}", "{ }", "{\"a\":{}}", "{\"n\":[1.0,1e3,-0,12345678901234567890123,1E-7]}",
        "{\"s\":\"\\u0000\\ud800\\u001b[31m\\\"\\\\\\/\"}", "{\"é\":\"日本語😀\",\"k\":\"\\u00e9\"}",
        "\r\n{\r\n\t\"pretty\": [\r\n\t\t1,\r\n\t\t2\r\n\t]\r\n}\r\n", "{\"dup\":1,\"dup\":2}",
        "{\"deep\":" + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}",
    ].map { Array($0.utf8) }
}
