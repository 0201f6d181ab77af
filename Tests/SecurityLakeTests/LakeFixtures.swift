import Codecs
import Foundation
import HTTPClient
import HTTPCore
import JSONBytes
import NetworkTestSupport
import Testing

/// Events, Firehose requests and the pyarrow/DuckDB reader for the Security Lake tests.
enum LakeFixtures {
    /// The repository root.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `<shared>/data/events` from `$LAKEMARK_SHARED`, `<repo>/../shared` or `/work/shared`, when present.
    static var events: URL? {
        ReferenceMaterial.sharedDirectory(holding: "data/events")?.appendingPathComponent("data/events")
    }

    /// Why the pyarrow/DuckDB checks cannot run, or `nil` when they can.
    static let readerUnavailable: String? = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import pyarrow, duckdb"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "python3 is not installed" }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? nil : "pyarrow or duckdb missing (run scripts/deps.sh test)"
    }()

    /// A temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lakemark-lake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Events of one corpus file: a CloudTrail `Records` file, a JSON object or array, or NDJSON (Panther lines
    /// give their `event`).
    static func load(_ relativePath: String, limit: Int = .max) throws -> [[UInt8]] {
        guard let root = events else { return [] }
        let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent(relativePath)))
        var out: [[UInt8]] = []
        func take(_ tape: JSONTape, _ node: Int) {
            if tape.kind(node) == .object { out.append(Array(tape.rawBytes(node))) }
        }
        if let tape = try? JSONTape(parsing: bytes) {
            if let records = tape.value(forKey: "Records", in: 0) {
                tape.children(records).forEach { take(tape, $0) }
            } else if tape.kind(0) == .array {
                tape.children(0).forEach { take(tape, $0) }
            } else {
                take(tape, 0)
            }
        } else {
            for line in bytes.split(separator: 0x0A) {
                guard let tape = try? JSONTape(parsing: Array(line)) else { continue }
                take(tape, tape.value(forKey: "event", in: 0) ?? 0)
            }
        }
        return Array(out.prefix(limit))
    }

    /// The mixed sample every test sends: CloudTrail, Security Hub, GuardDuty, Okta, Kubernetes audit, Prowler
    /// OCSF and Azure activity (no mapping) events.
    static func mixedSample() throws -> [[UInt8]] {
        let cloudTrail = try FileManager.default.contentsOfDirectory(
            atPath: (events?.appendingPathComponent("invictus-aws-cloudtrail").path) ?? "/nonexistent"
        ).sorted().prefix(2)
        var sample: [[UInt8]] = []
        for name in cloudTrail { sample += try load("invictus-aws-cloudtrail/" + name, limit: 40) }
        sample += try load("aws-asr-securityhub-asff/afsbp-s3.2.json")
        sample += try load("aws-asr-securityhub-asff/cis-15.json")
        sample += try load("panther-test-events/aws_guardduty.ndjson", limit: 4)
        sample += try load("panther-test-events/okta_systemlog.ndjson", limit: 12)
        sample += try load("panther-test-events/aws_eks_audit.ndjson", limit: 3)
        sample += try load("panther-test-events/azure_monitoractivity.ndjson", limit: 2)
        let prowler = try FileManager.default.contentsOfDirectory(
            atPath: (events?.appendingPathComponent("prowler").path) ?? "/nonexistent"
        ).filter { $0.hasSuffix(".json") }.sorted().prefix(2)
        for name in prowler { sample += try load("prowler/" + name, limit: 5) }
        return sample
    }

    /// A Firehose request body carrying one record per event.
    static func firehoseBody(requestID: String, events: [[UInt8]]) -> [UInt8] {
        var body =
            Array(#"{"requestId":""#.utf8) + Array(requestID.utf8)
            + Array(#"","timestamp":1717243200000,"records":["#.utf8)
        for (index, event) in events.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body += Array(#"{"data":""#.utf8) + Base64.encode(event + [0x0A]) + Array(#""}"#.utf8)
        }
        body += Array("]}".utf8)
        return body
    }

    /// Posts a Firehose request to a service on 127.0.0.1.
    /// - Returns: the HTTP status.
    static func post(port: Int, requestID: String, events: [[UInt8]]) throws -> Int {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "X-Amz-Firehose-Request-Id", value: requestID)
        headers.add(name: "X-Amz-Firehose-Protocol-Version", value: "1.0")
        let request = HTTPClientRequest(
            method: .post,
            host: "127.0.0.1",
            port: port,
            target: "/",
            headers: headers,
            body: firehoseBody(requestID: requestID, events: events)
        )
        return try HTTPClient().send(request).status.code
    }

    /// What `scripts/read_security_lake.py` read from an output tree.
    struct Reading {
        /// The parsed JSON document.
        let document: [String: Any]
        /// `files[]`.
        var files: [[String: Any]] { document["files"] as? [[String: Any]] ?? [] }
        /// pyarrow rows by relative path.
        var rows: [String: [[String: Any]]] { document["pyarrow"] as? [String: [[String: Any]]] ?? [:] }
        /// DuckDB row counts by relative path.
        var duckdbRows: [String: Int] { document["duckdb_rows"] as? [String: Int] ?? [:] }
        /// The seed query's rows.
        var seed: [[String: Any]] { document["seed"] as? [[String: Any]] ?? [] }
        /// Distinct Parquet schemas per source location.
        var schemas: [String: Int] { document["schemas"] as? [String: Int] ?? [:] }
        /// Every row of every file.
        var allRows: [[String: Any]] { rows.values.flatMap { $0 } }
    }

    /// Runs the reader script over a tree.
    static func read(_ root: URL) throws -> Reading {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", repositoryRoot.appendingPathComponent("scripts/read_security_lake.py").path, root.path,
        ]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Issue.record("read_security_lake.py failed: \(message)")
            return Reading(document: [:])
        }
        return Reading(document: try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:])
    }

    /// Relative paths of the files under a tree whose name ends with `suffix`, sorted.
    static func files(under root: URL, suffix: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var paths: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(suffix) { paths.append(path) }
        }
        return paths.sorted()
    }
}
