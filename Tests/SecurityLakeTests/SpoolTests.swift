import Codecs
import Foundation
@testable import Pipeline
import ServiceSupport
import Sink
import Testing

/// The durable spool in-process: grouping, flushing, and recovery after a flush that did not finish.
@Suite(.serialized) struct SpoolTests {
    /// A sink that refuses every write (a flush that crashes before its object is durable).
    final class RefusingSink: ObjectSink {
        var description: String { "refusing sink" }
        func put(_ objects: [SinkObject]) throws(SinkError) {
            throw SinkError(code: .unavailable, errno: nil, path: "", message: "refused for the test")
        }
        func checkWritable() throws(SinkError) {}
    }

    static func startService(sink: URL, spool: URL) throws -> Service {
        try DirectModeTests.startService(sink: sink) {
            $0.securityLake.spoolDirectory = spool.path
            $0.securityLake.spoolMaxAgeSeconds = 86_400
        }
    }

    static func sample() throws -> [[UInt8]] {
        try LakeFixtures.load("aws-asr-securityhub-asff/afsbp-s3.2.json")
            + LakeFixtures.load("aws-asr-securityhub-asff/afsbp-s3.3.json")
            + LakeFixtures.load("panther-test-events/aws_guardduty.ndjson", limit: 4)
    }

    /// The raw objects' text, for failure messages.
    static func rawText(_ root: URL) throws -> String {
        try LakeFixtures.files(under: root, suffix: ".json.gz").map { path in
            let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent(path)))
            return String(decoding: try Gzip.inflate(bytes, limit: 1 << 26), as: UTF8.self)
        }.joined(separator: "\n")
    }

    @Test func requestsAreSpooledUntilTheirPartitionIsFlushed() throws {
        if let reason = LakeFixtures.readerUnavailable { return print("SKIP: \(reason)") }
        let sample = try Self.sample()
        guard !sample.isEmpty else { return print("SKIP: shared/data/events not found") }
        let root = try LakeFixtures.temporaryDirectory()
        let spoolDirectory = try LakeFixtures.temporaryDirectory()
        let service = try Self.startService(sink: root, spool: spoolDirectory)
        defer { service.shutdown() }
        #expect(
            try LakeFixtures.post(port: service.boundPort, requestID: "s-1", events: Array(sample.prefix(3))) == 200
        )
        #expect(
            try LakeFixtures.post(port: service.boundPort, requestID: "s-2", events: Array(sample.dropFirst(3))) == 200
        )
        #expect(LakeFixtures.files(under: root, suffix: ".parquet").isEmpty)
        #expect(!LakeFixtures.files(under: spoolDirectory, suffix: ".ndjson").isEmpty)
        let spool = try #require(service.securityLake?.spool)
        let reports = try spool.flushDue(force: true)
        #expect(!reports.isEmpty)
        #expect(LakeFixtures.files(under: spoolDirectory, suffix: ".ndjson").isEmpty)
        let objects = LakeFixtures.files(under: root, suffix: ".parquet")
        let rawText = try Self.rawText(root)
        #expect(rawText.isEmpty, "\(rawText)")
        #expect(objects.count == reports.count)
        #expect(objects.allSatisfy { $0.contains("/spool-") })
        let reading = try LakeFixtures.read(root)
        #expect(reading.allRows.count == sample.count)
        #expect(!reading.seed.isEmpty)
        // A Firehose retry of an already flushed request is not spooled again.
        #expect(
            try LakeFixtures.post(port: service.boundPort, requestID: "s-1", events: Array(sample.prefix(3))) == 200
        )
        #expect(try spool.flushDue(force: true).isEmpty)
        #expect(try LakeFixtures.read(root).allRows.count == sample.count)
    }

    @Test func anInterruptedFlushIsRepeatedUnderTheSameNameOnRecovery() throws {
        if let reason = LakeFixtures.readerUnavailable { return print("SKIP: \(reason)") }
        let sample = try Self.sample()
        guard !sample.isEmpty else { return print("SKIP: shared/data/events not found") }
        let root = try LakeFixtures.temporaryDirectory()
        let spoolDirectory = try LakeFixtures.temporaryDirectory()
        let service = try Self.startService(sink: root, spool: spoolDirectory)
        #expect(try LakeFixtures.post(port: service.boundPort, requestID: "r-1", events: sample) == 200)
        let writer = try #require(service.securityLake?.writer)
        service.shutdown()

        let failing = SecurityLakeSpool(
            directory: spoolDirectory.path,
            writer: writer,
            sink: RefusingSink(),
            maxAgeSeconds: 86_400,
            maxBytes: 1 << 30
        )
        try failing.recover()
        #expect(throws: SecurityLakeSpoolError.self) { try failing.flushDue(force: true) }
        let manifests = LakeFixtures.files(under: spoolDirectory.appendingPathComponent("flushing"), suffix: "")
        #expect(!manifests.isEmpty)

        let recovered = SecurityLakeSpool(
            directory: spoolDirectory.path,
            writer: writer,
            sink: LocalDirectorySink(root: root.path),
            maxAgeSeconds: 86_400,
            maxBytes: 1 << 30
        )
        let repeated = try recovered.recover()
        #expect(repeated.count == manifests.count)
        #expect(Set(repeated.map { ($0.key as NSString).lastPathComponent }) == Set(manifests.map { $0 + ".parquet" }))
        #expect(LakeFixtures.files(under: spoolDirectory, suffix: ".ndjson").isEmpty)
        #expect(try recovered.flushDue(force: true).isEmpty)
        #expect(try LakeFixtures.read(root).allRows.count == sample.count)
    }
}
