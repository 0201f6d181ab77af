import Codecs
import Foundation
import JSONBytes

/// What the output must contain for a given input record, computed independently of the product's unpacker
/// (Foundation's JSON parser for the envelopes).
enum ExpectedEvents {
    /// The events one record must produce: the normalised bytes of each JSON-object event, or `nil` for an
    /// event the service must keep inside a `_raw` wrapper. CloudWatch Logs control messages produce nothing.
    static func of(record: [UInt8]) throws -> [[UInt8]?] {
        var bytes = record
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
            bytes = try Gzip.inflate(bytes, limit: 1 << 28)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            return bytes.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) ? [] : [nil]
        }
        guard let type = object["messageType"] as? String else { return [normalised(bytes)] }
        if type == "CONTROL_MESSAGE" { return [] }
        let events = object["logEvents"] as? [[String: Any]] ?? []
        return events.map { event in
            guard let message = event["message"] as? String,
                (try? JSONSerialization.jsonObject(with: Data(message.utf8))) is [String: Any]
            else { return nil }
            return normalised(Array(message.utf8))
        }
    }

    /// Input as the output reproduces it: CR/LF as spaces, surrounding whitespace trimmed.
    static func normalised(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
        while let last = result.last, last == 0x20 || last == 0x09 { result.removeLast() }
        while let first = result.first, first == 0x20 || first == 0x09 { result.removeFirst() }
        return result
    }

    /// An output event without the members the service splices in (`cloudwatch_logs`, `secberus_compliance`),
    /// which always come last.
    static func strippingSplicedMembers(_ tape: JSONTape) -> [UInt8] {
        var cut: Int?
        for (key, _) in tape.members(tape.rootIndex) {
            let name = tape.string(key)
            if name == "cloudwatch_logs" || name == "secberus_compliance" {
                cut = tape.byteRange(key).lowerBound
                break
            }
        }
        guard var end = cut else { return Array(tape.source) }
        if tape.source[end - 1] == UInt8(ascii: ",") { end -= 1 }
        return Array(tape.source[..<end]) + [UInt8(ascii: "}")]
    }

    static func pythonHasDuckDB() -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import duckdb"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
