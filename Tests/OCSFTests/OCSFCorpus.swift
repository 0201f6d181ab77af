import Foundation
import JSONBytes
import NetworkTestSupport

/// Sample events of `<shared>/data/events` by family, for the converter and validation tests.
enum OCSFCorpus {
    /// `$LAKEMARK_SHARED`, `<repo>/../shared` or `/work/shared`, when it holds `data/events`.
    static var eventsDirectory: URL? {
        ReferenceMaterial.sharedDirectory(holding: "data/events")?.appendingPathComponent("data/events")
    }

    /// The skip message when the corpus is absent.
    static let missing = "SKIP: shared/data/events not found (set LAKEMARK_SHARED); corpus tests did nothing"

    /// Every event object of the files under `folder` whose name passes `include`: NDJSON lines (Panther lines
    /// contribute their `event`), JSON arrays, CloudTrail `Records`, or one object per file.
    static func events(_ folder: String, include: (String) -> Bool = { _ in true }) throws -> [[UInt8]] {
        guard let root = eventsDirectory?.appendingPathComponent(folder) else { return [] }
        var events: [[UInt8]] = []
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        for name in names where (name.hasSuffix(".json") || name.hasSuffix(".ndjson")) && include(name) {
            let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent(name)))
            if let tape = try? JSONTape(parsing: bytes) {
                events += objects(tape)
                continue
            }
            for line in bytes.split(separator: UInt8(ascii: "\n")) {
                guard let tape = try? JSONTape(parsing: Array(line)) else { continue }
                if let event = tape.value(forKey: "event", in: tape.rootIndex), tape.kind(event) == .object {
                    events.append(Array(tape.rawBytes(event)))
                } else {
                    events += objects(tape)
                }
            }
        }
        return events
    }

    private static func objects(_ tape: JSONTape) -> [[UInt8]] {
        let root = tape.rootIndex
        var nodes: [Int] = [root]
        if tape.kind(root) == .array {
            nodes = Array(tape.children(root))
        } else if let records = tape.value(forKey: "Records", in: root), tape.kind(records) == .array {
            nodes = Array(tape.children(records))
        }
        return nodes.filter { tape.kind($0) == .object }.map { Array(tape.rawBytes($0)) }
    }
}
