import Firehose
import JSONBytes
import Testing

@testable import Pipeline

@Suite struct EmbeddedMetricLineTests {
    @Test func lineFollowsTheEmbeddedMetricFormat() throws {
        var report = BatchReport()
        report.records = 12
        report.events = 30
        report.controlMessages = 1
        report.objects = 3
        report.recordBytes = 4_096
        let outcome = BatchProcessor.Outcome(
            status: 200, body: [], requestID: "req-\"1", report: report, errorCode: nil)
        let head = FirehoseRequestHead(sourceARN: "arn:aws:firehose:us-east-1:123456789012:deliverystream/sec")
        let tape = try JSONTape(
            parsing: EmbeddedMetricLine.render(outcome, head: head, seconds: 0.0123, nowMillis: 1_733_300_000_000))
        let aws = try #require(tape.value(forKey: "_aws", in: 0))
        #expect(tape.int64(try #require(tape.value(forKey: "Timestamp", in: aws))) == 1_733_300_000_000)
        let directives = try #require(tape.value(forKey: "CloudWatchMetrics", in: aws))
        let directive = try #require(Array(tape.children(directives)).first)
        #expect(tape.string(try #require(tape.value(forKey: "Namespace", in: directive))) == "Lakemark")
        let metrics = try #require(tape.value(forKey: "Metrics", in: directive))
        #expect(tape.count(metrics) == EmbeddedMetricLine.metrics.count)
        // Every declared metric has a numeric value member, and the dimension is present.
        for metric in tape.children(metrics) {
            let name = try #require(tape.value(forKey: "Name", in: metric).flatMap(tape.string))
            #expect(tape.kind(try #require(tape.value(forKey: name, in: 0))) == .number)
        }
        #expect(tape.string(try #require(tape.value(forKey: "Stream", in: 0))) == "sec")
        #expect(tape.double(try #require(tape.value(forKey: "Events", in: 0))) == 30)
        #expect(tape.double(try #require(tape.value(forKey: "BatchLatency", in: 0))) == 12.3)
        #expect(tape.double(try #require(tape.value(forKey: "BatchFailures", in: 0))) == 0)
        #expect(tape.string(try #require(tape.value(forKey: "RequestId", in: 0))) == "req-\"1")
    }
}
