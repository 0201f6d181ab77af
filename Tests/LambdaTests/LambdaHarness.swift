import Codecs
import Foundation
import NetworkTestSupport

/// Locating the binary and the fixtures, launching `lakemark lambda` against a fake, and reading answers.
enum LambdaHarness {
    /// The repository root.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `$LAKEMARK_LAMBDA_BINARY` (for example an unzipped package's `bootstrap`), else the `lakemark` executable
    /// built next to the test bundle, if any.
    static var executable: URL? {
        if let named = ProcessInfo.processInfo.environment["LAKEMARK_LAMBDA_BINARY"], !named.isEmpty {
            return URL(fileURLWithPath: named)
        }
        return LakemarkExecutable.url
    }

    /// `$LAKEMARK_SHARED`, `<repo>/../shared` or `/work/shared`, when it holds the event corpus.
    static var shared: URL? { ReferenceMaterial.sharedDirectory(holding: "data/events") }

    /// The bundled event of edge cases (always present).
    static let edgeCases = repositoryRoot.appendingPathComponent("Tests/Fixtures/lambda/edge-cases.firehose-event.json")

    /// Every `*.firehose-event.json` of `../shared/data/events/firehose-fixtures`, sorted; when the shared folder
    /// is absent, the copies bundled under `Tests/Fixtures/samples/firehose-fixtures` (a message says so).
    static var fixtureEvents: [URL] {
        var folder = repositoryRoot.appendingPathComponent("Tests/Fixtures/samples/firehose-fixtures")
        if let shared {
            folder = shared.appendingPathComponent("data/events/firehose-fixtures")
        } else {
            print("NOTE: ../shared is absent; using the fixture copies bundled under Tests/Fixtures/samples")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".firehose-event.json") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// Starts `lakemark` (with `arguments`, default none: chosen by `AWS_LAMBDA_RUNTIME_API`) against a fake.
    /// - Parameters:
    ///   - endpoint: The fake's `host:port`.
    ///   - arguments: The command line.
    ///   - environment: Extra variables.
    /// - Returns: The running child.
    static func launch(
        endpoint: String,
        arguments: [String] = [],
        environment: [String: String] = [:]
    ) throws -> ChildProcess {
        guard let executable else { throw CancellationError() }
        var variables = ["AWS_LAMBDA_RUNTIME_API": endpoint, "LAKEMARK_LOG_LEVEL": "info"]
        variables.merge(environment) { $1 }
        return try ChildProcess(executable.path, arguments, environment: variables)
    }

    /// The records of a response document: `(recordId, result, data)` (a `metadata` member is allowed).
    static func records(ofResponse body: [UInt8]) throws -> [(id: String, result: String, data: String)] {
        let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        guard let records = object?["records"] as? [[String: Any]], object?.count == 1 else {
            throw LambdaTestFailure("the response is not {\"records\":[…]}")
        }
        return try records.map { record in
            guard let id = record["recordId"] as? String, let result = record["result"] as? String,
                let data = record["data"] as? String, record.count == (record["metadata"] == nil ? 3 : 4)
            else { throw LambdaTestFailure("a response record is not {recordId, result, data}: \(record)") }
            return (id, result, data)
        }
    }

    /// The records of an event document: `(recordId, data)`.
    static func records(ofEvent body: [UInt8]) throws -> [(id: String, data: String)] {
        let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        guard let records = object?["records"] as? [[String: Any]] else {
            throw LambdaTestFailure("the event has no records")
        }
        return records.map { ($0["recordId"] as? String ?? "", $0["data"] as? String ?? "") }
    }

    /// Base64-decodes with Foundation, then inflates gzip (magic `1f 8b`).
    static func payload(_ base64: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: base64) else { throw LambdaTestFailure("not base64") }
        let bytes = [UInt8](data)
        guard bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B else { return bytes }
        return try Gzip.inflate(bytes, limit: 1 << 28)
    }

    /// `line` without the member `name` the splicer appended last (`…,"name":value}` → `…}`).
    static func removingLastMember(_ name: String, from line: [UInt8]) -> [UInt8]? {
        let marker = Array(",\"\(name)\":".utf8)
        guard line.count > marker.count, line.last == UInt8(ascii: "}") else { return nil }
        var index = line.count - marker.count
        while index >= 0 {
            if Array(line[index..<(index + marker.count)]) == marker {
                return Array(line[..<index]) + [UInt8(ascii: "}")]
            }
            index -= 1
        }
        return nil
    }

    /// What the splicer keeps of an input: outer whitespace trimmed, CR and LF turned into spaces.
    static func normalised(_ bytes: [UInt8]) -> [UInt8] {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return [] }
        return bytes[first...last].map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
    }

    /// The event document of a list of `(recordId, payload)`: base64 data, Firehose's other fields.
    static func event(_ records: [(id: String, payload: [UInt8])]) -> [UInt8] {
        var text =
            #"{"invocationId":"test-invocation","deliveryStreamArn":"arn:aws:firehose:us-east-1:123456789012:"#
            + #"deliverystream/test","region":"us-east-1","records":["#
        for (index, record) in records.enumerated() {
            if index > 0 { text += "," }
            text +=
                #"{"recordId":"\#(record.id)","approximateArrivalTimestamp":1739539700000,"data":""#
                + Data(record.payload).base64EncodedString() + #""}"#
        }
        return Array((text + "]}").utf8)
    }
}

/// A failed expectation in a helper.
struct LambdaTestFailure: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    /// Creates a failure.
    init(_ description: String) { self.description = description }
}
