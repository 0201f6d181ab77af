import Codecs
import Foundation
import HTTPClient
import HTTPCore
import JSONBytes
import Pipeline
import Sender
import Testing

/// The acceptance path: `lakemark send` of the sample corpus through a running service into the local sink.
@Suite(.serialized) struct EndToEndTests {
    /// The corpus: every file under `../shared/data/events`, or the bundled samples when it is absent.
    private var corpus: URL {
        if let shared = TestEnvironment.shared { return shared.appendingPathComponent("data/events") }
        print("SKIP (partial): ../shared not found; the end-to-end test uses only Tests/Fixtures/samples")
        return TestEnvironment.samples
    }

    @Test func everyCorpusEventLandsExactlyOnceAndLossless() throws {
        let sink = try TestEnvironment.temporaryDirectory()
        let service = try TestEnvironment.startService(TestEnvironment.configuration(sink: sink))
        defer { service.shutdown() }
        let status = SendCommand.run(arguments: [
            "--url", "http://127.0.0.1:\(service.boundPort)/", "--gzip", "--quiet", "--max-batch-mib", "2", corpus.path,
        ])
        #expect(status == 0, "every request must be answered 200")

        let files = try EventFileReader().read(paths: [corpus.path]).files
        var expected: [[UInt8]: Int] = [:]
        var expectedWrapped = 0
        var inputEvents = 0
        for file in files {
            for record in file.records {
                for event in try ExpectedEvents.of(record: record.bytes) {
                    inputEvents += 1
                    if let bytes = event { expected[bytes, default: 0] += 1 } else { expectedWrapped += 1 }
                }
            }
        }
        #expect(inputEvents > (TestEnvironment.shared == nil ? 400 : 4_000))

        var actual: [[UInt8]: Int] = [:]
        var wrapped = 0
        var withoutCompliance = 0
        for line in try TestEnvironment.outputLines(under: sink) {
            let tape = try JSONTape(parsing: line)
            if tape.value(forKey: "_raw", in: 0) != nil || tape.value(forKey: "_raw_base64", in: 0) != nil {
                wrapped += 1
                continue
            }
            let compliance = try #require(tape.value(forKey: "secberus_compliance", in: 0))
            #expect(tape.kind(compliance) == .array)
            if tape.count(compliance) == 0 { withoutCompliance += 1 }
            actual[ExpectedEvents.strippingSplicedMembers(tape), default: 0] += 1
        }
        #expect(wrapped == expectedWrapped)
        #expect(actual.count == expected.count)
        let missing = expected.filter { actual[$0.key] != $0.value }
        #expect(missing.isEmpty, "\(missing.count) input events are missing, duplicated or changed")
        if let (bytes, _) = missing.first {
            Issue.record("first mismatch: \(String(decoding: bytes.prefix(300), as: UTF8.self))")
        }
        // Most events must map to something; CloudTrail and the other prose-less sources included.
        #expect(Double(withoutCompliance) < 0.1 * Double(inputEvents))
    }

    @Test func sameRequestIDTwiceLeavesTheSameObjects() throws {
        let sink = try TestEnvironment.temporaryDirectory()
        let service = try TestEnvironment.startService(TestEnvironment.configuration(sink: sink))
        defer { service.shutdown() }
        let fixture = TestEnvironment.samples
            .appendingPathComponent("firehose-fixtures/eventbridge-guardduty-securityhub.firehose-event.json")
        let records = try EventFileReader().read(file: fixture.path).records
        var writer = JSONWriter()
        writer.appendRaw(#"{"requestId":"retry-1","timestamp":1733300000000,"records":["#)
        for (index, record) in records.enumerated() {
            writer.appendRaw(index == 0 ? #"{"data":""# : #",{"data":""#)
            writer.appendRaw(Base64.encode(record.bytes))
            writer.appendRaw(#""}"#)
        }
        writer.appendRaw("]}")
        let client = HTTPClient()
        var snapshots: [[String: Data]] = []
        for _ in 0..<2 {
            let response = try client.send(
                HTTPClientRequest(
                    method: .post,
                    host: "127.0.0.1",
                    port: service.boundPort,
                    target: "/",
                    headers: ["X-Amz-Firehose-Request-Id": "retry-1", "Content-Type": "application/json"],
                    body: writer.bytes
                )
            )
            #expect(response.status.code == 200)
            var snapshot: [String: Data] = [:]
            for file in try TestEnvironment.objectFiles(under: sink) {
                snapshot[String(file.path.dropFirst(sink.path.count))] = try Data(contentsOf: file)
            }
            snapshots.append(snapshot)
        }
        #expect(!snapshots[0].isEmpty)
        #expect(snapshots[0] == snapshots[1])
    }

    @Test func readmeVerificationQueryRunsOnDuckDB() throws {
        guard ExpectedEvents.pythonHasDuckDB() else {
            print("SKIP: python3 with duckdb not available (scripts/test.sh installs it)")
            return
        }
        let sink = try TestEnvironment.temporaryDirectory()
        let service = try TestEnvironment.startService(TestEnvironment.configuration(sink: sink))
        // An event DuckDB cannot read (a lone surrogate escape) must not break the README's query.
        let odd = sink.deletingLastPathComponent().appendingPathComponent("odd-\(UUID().uuidString).ndjson")
        try Data(#"{"description":"lone \ud800 surrogate","eventTime":"2024-01-01T00:00:00Z"}"#.utf8).write(to: odd)
        defer { try? FileManager.default.removeItem(at: odd) }
        let status = SendCommand.run(arguments: [
            "--url", "http://127.0.0.1:\(service.boundPort)/", "--quiet", TestEnvironment.samples.path, odd.path,
        ])
        service.shutdown()
        #expect(status == 0)
        // The README's DuckDB queries.
        let query = """
            import duckdb, sys
            events = '''read_json_auto('\(sink.path)/ext/*/*/*/*/*.json.gz', format = 'newline_delimited',
                hive_partitioning = true, union_by_name = true, ignore_errors = true)'''
            total, mapped = duckdb.sql(f'''SELECT count(*), count(*) FILTER (len(secberus_compliance) > 0)
                FROM {events}''').fetchall()[0]
            top = duckdb.sql(f'''SELECT c.framework_id, c.control_id, count(*) AS events
                FROM (SELECT unnest(secberus_compliance) AS c FROM {events}) GROUP BY ALL ORDER BY events DESC
                LIMIT 10''').fetchall()
            print(total, mapped, top)
            sys.exit(0 if total >= 700 and mapped >= total // 2 and len(top) == 10 else 1)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", query]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the README's DuckDB query must return 10 enriched rows")
    }
}
