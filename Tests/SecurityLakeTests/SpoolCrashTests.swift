import Dispatch
import Foundation
import Glibc
import HTTPClient
import JSONBytes
import NetworkTestSupport
import Testing

/// `lakemark serve` with a spool, killed with SIGKILL mid-stream and restarted: every event sent ends up in
/// exactly one Parquet row (nothing lost, nothing duplicated), Firehose-style retries included.
@Suite(.serialized) struct SpoolCrashTests {
    /// The `lakemark` executable next to the test bundle.
    static var executable: URL? { LakemarkExecutable.url }

    static func launch(port: Int, sink: URL, spool: URL, log: URL) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve"]
        process.environment = [
            "LAKEMARK_LISTEN": "127.0.0.1:\(port)", "LAKEMARK_SINK": sink.path, "LAKEMARK_FORMAT": "parquet",
            "LAKEMARK_SPOOL_DIR": spool.path, "LAKEMARK_SPOOL_MAX_AGE_SECONDS": "1",
            "LAKEMARK_SECURITY_LAKE_REGION": "eu-west-1", "LAKEMARK_LOG_LEVEL": "error",
        ]
        process.standardOutput = FileHandle.nullDevice
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardError = handle
        try process.run()
        return process
    }

    static func waitForHealth(port: Int) -> Bool { LakemarkExecutable.waitForHealth(port: port) }

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
        let port = SocketIO.servicePort()
        var acknowledged: Set<Int> = []
        var next = 0
        // Three lives killed with SIGKILL at a random moment while traffic flows and the 1 s flush timer runs
        // (so a kill can land inside a request, a spool write or a flush), then a last life that drains the spool.
        let log = try LakeFixtures.temporaryDirectory().appendingPathComponent("lakemark.log")
        var interruptedFlushes = 0
        var spooledAtRestart = 0
        for life in 0..<4 {
            interruptedFlushes += LakeFixtures.files(under: spool.appendingPathComponent("flushing"), suffix: "").count
            spooledAtRestart += LakeFixtures.files(under: spool, suffix: ".ndjson").count
            let process = try Self.launch(port: port, sink: sink, spool: spool, log: log)
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            let healthy = Self.waitForHealth(port: port)
            #expect(healthy, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            // Firehose resends what was not acknowledged, and the last acknowledged requests too (lost answers).
            let retries = batches.indices.filter { $0 < next && (!acknowledged.contains($0) || $0 >= next - 2) }
            let fresh =
                life == 3 ? Array(next..<batches.count) : Array(next..<min(next + batches.count / 4, batches.count))
            next = fresh.last.map { $0 + 1 } ?? next
            let killer =
                life == 3
                ? nil
                : DispatchWorkItem {
                    kill(process.processIdentifier, SIGKILL)
                }
            if let killer {
                DispatchQueue.global().asyncAfter(
                    deadline: .now() + .milliseconds(Int.random(in: 800...2_500)),
                    execute: killer
                )
            }
            for index in retries + fresh {
                if (try? LakeFixtures.post(port: port, requestID: "batch-\(index)", events: batches[index])) == 200 {
                    acknowledged.insert(index)
                } else {
                    acknowledged.remove(index)
                }
                if process.isRunning == false { break }
            }
            if life == 3 {
                #expect(batches.indices.allSatisfy { acknowledged.contains($0) })
                var waited = 0
                while !LakeFixtures.files(under: spool, suffix: ".ndjson").isEmpty && waited < 150 {
                    usleep(100_000)
                    waited += 1
                }
                #expect(LakeFixtures.files(under: spool, suffix: ".ndjson").isEmpty)
                process.terminate()
            } else {
                // Let the timer fire before the kill if the requests finished first.
                while process.isRunning { usleep(50_000) }
                #expect(process.terminationReason == .uncaughtSignal)
            }
            process.waitUntilExit()
        }

        print("SIGKILL test: \(interruptedFlushes) interrupted flushes, \(spooledAtRestart) spooled files at restarts")
        let reading = try LakeFixtures.read(sink)
        let written = reading.allRows.compactMap { ($0["metadata"] as? [String: Any])?["uid"] as? String }.sorted()
        var objectsByRow: [String: [String]] = [:]
        for (path, rows) in reading.rows {
            for row in rows {
                if let uid = (row["metadata"] as? [String: Any])?["uid"] as? String {
                    objectsByRow[uid, default: []].append(path)
                }
            }
        }
        let duplicated = objectsByRow.filter { $0.value.count > 1 }
        #expect(duplicated.isEmpty, "rows written twice, by object: \(Set(duplicated.values.map { $0.sorted() }))")
        #expect(written.count == expected.count)
        #expect(written == expected)
    }
}
