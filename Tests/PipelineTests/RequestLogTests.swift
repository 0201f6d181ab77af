import Codecs
import Firehose
import ServiceSupport
import Sink
import Testing

@testable import Pipeline

/// The per-request log line tells what was stored, and never claims "no object" for a write that failed midway.
@Suite struct RequestLogTests {
    /// Refuses every write, as a sink that stored part of a batch before failing would.
    final class FailingSink: ObjectSink, Sendable {
        var description: String { "failing sink" }
        func put(_ objects: [SinkObject]) throws(SinkError) {
            throw SinkError(code: .ioError, errno: nil, path: "/lake", message: "disk went away")
        }
        func checkWritable() throws(SinkError) {}
    }

    static func line(sink: any ObjectSink) throws -> LogRecord {
        let configuration = try ConfigurationLoader.load(path: nil, environment: [:])
        let processor = BatchProcessor(
            configuration: configuration,
            mapper: try EngineFactory.makeMapper(configuration),
            mappingOptions: try EngineFactory.makeOptions(configuration),
            sink: sink
        )
        let events = [#"{"eventSource":"s3.amazonaws.com","awsRegion":"us-east-1"}"#, #"{"awsRegion":"eu-west-1"}"#]
        let records = events.map { event in
            let data = String(decoding: Base64.encode(Array(event.utf8)), as: UTF8.self)
            return #"{"data":"\#(data)"}"#
        }.joined(separator: ",")
        let body = Array(#"{"requestId":"log-1","timestamp":1733300000000,"records":[\#(records)]}"#.utf8)
        let head = FirehoseRequestHead(header: { $0.lowercased() == "x-amz-firehose-request-id" ? "log-1" : nil })
        let outcome = processor.process(head: head, body: body)
        let capture = CapturingLogHandler()
        RequestLog.write(outcome, head: head, seconds: 0.01, logger: Logger(label: "test", handler: capture))
        return try #require(capture.records.first)
    }

    @Test func aFailedWriteReportsTheObjectsItAttemptedNotZeroStored() throws {
        let record = try Self.line(sink: FailingSink())
        #expect(record.message == "batch failed")
        #expect(record.metadata["error_code"] == .string("sink.ioError"))
        #expect(record.metadata["objects"] == nil)
        #expect(record.metadata["objects_attempted"] == .int(2))
    }

    @Test func aStoredBatchReportsItsObjects() throws {
        let record = try Self.line(sink: BatchThreadsTests.CapturingSink())
        #expect(record.message == "batch stored")
        #expect(record.metadata["objects"] == .int(2))
        #expect(record.metadata["objects_attempted"] == nil)
    }
}
