import Foundation
import Glibc
import HTTPClient
import JSONBytes
import Testing

/// `lakemark serve` with a spool, killed with SIGKILL mid-stream and restarted: every event sent ends up in
/// exactly one Parquet row (nothing lost, nothing duplicated), Firehose-style retries included.
@Suite(.serialized) struct SpoolCrashTests {
    /// The `lakemark` executable next to the test bundle.
    static var executable: URL? {
        let testBinary = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0]
        )
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("lakemark")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    static func launch(port: Int, sink: URL, spool: URL) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve"]
        process.environment = [
            "LAKEMARK_LISTEN": "127.0.0.1:\(port)", "LAKEMARK_SINK": sink.path, "LAKEMARK_FORMAT": "parquet",
            "LAKEMARK_SPOOL_DIR": spool.path, "LAKEMARK_SPOOL_MAX_AGE_SECONDS": "1",
            "LAKEMARK_SECURITY_LAKE_REGION": "eu-west-1", "LAKEMARK_LOG_LEVEL": "error",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func waitForHealth(port: Int) -> Bool {
        let client = HTTPClient()
        for _ in 0..<200 {
            let request = HTTPClientRequest(method: .get, host: "127.0.0.1", port: port, target: "/healthz")
            if let response = try? client.send(request), response.status.code == 200 { return true }
            usleep(50_000)
        }
        return false
    }

    @Test func sigkillDuringSpooledOperationLosesAndDuplicatesNoRow() throws {
        guard Self.executable != nil else { return print("SKIP: the lakemark executable is not built") }
        if let reason = LakeFixtures.readerUnavailable { return print("SKIP: \(reason)") }
        guard let events = LakeFixtures.events else { return print("SKIP: shared/data/events not found") }
        let files = try FileManager.default.contentsOfDirectory(
            atPath: events.appendingPathComponent("invictus-aws-cloudtrail").path
        ).sorted().prefix(6)
        var batches: [[[UInt8]]] = []
        for name in files {
            let records = try LakeFixtures.load("invictus-aws-cloudtrail/" + name)
            stride(from: 0, to: records.count, by: 10).forEach {
                batches.append(Array(records[$0..<min($0 + 10, records.count)]))
            }
        }
        let expected = try batches.flatMap { $0 }.map { bytes -> String in
            let tape = try JSONTape(parsing: bytes)
            return tape.value(forKey: "eventID", in: 0).flatMap(tape.string) ?? ""
        }.sorted()
        #expect(Set(expected).count == expected.count)

        let sink = try LakeFixtures.temporaryDirectory()
        let spool = try LakeFixtures.temporaryDirectory()
        let port = Int.random(in: 20_000..<40_000)
        var process = try Self.launch(port: port, sink: sink, spool: spool)
        #expect(Self.waitForHealth(port: port))
        var acknowledged: Set<Int> = []
        let killAt = batches.count / 2
        for (index, batch) in batches.enumerated() {
            if index == killAt {
                // Let the 1 s flush timer run during the traffic, then kill in the middle of it.
                usleep(1_100_000)
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                break
            }
            if (try? LakeFixtures.post(port: port, requestID: "batch-\(index)", events: batch)) == 200 {
                acknowledged.insert(index)
            }
        }
        #expect(process.terminationReason == .uncaughtSignal)

        process = try Self.launch(port: port, sink: sink, spool: spool)
        defer { if process.isRunning { process.terminate() } }
        #expect(Self.waitForHealth(port: port))
        // Firehose resends what was not acknowledged; the last acknowledged ones are resent too (lost answers).
        let resend = batches.indices.filter { !acknowledged.contains($0) || $0 >= killAt - 3 }
        for index in resend {
            #expect(try LakeFixtures.post(port: port, requestID: "batch-\(index)", events: batches[index]) == 200)
        }
        var waited = 0
        while !LakeFixtures.files(under: spool, suffix: ".ndjson").isEmpty && waited < 100 {
            usleep(100_000)
            waited += 1
        }
        #expect(LakeFixtures.files(under: spool, suffix: ".ndjson").isEmpty)
        process.terminate()
        process.waitUntilExit()

        let reading = try LakeFixtures.read(sink)
        let written = reading.allRows.compactMap { ($0["metadata"] as? [String: Any])?["uid"] as? String }.sorted()
        #expect(written.count == expected.count)
        #expect(written == expected)
    }
}
