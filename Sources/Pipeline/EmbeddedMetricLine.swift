import Firehose
import Glibc
import JSONBytes
import ServiceSupport

/// One CloudWatch Embedded Metric Format line per Firehose batch on standard output, so ECS, Lambda and agent
/// users get CloudWatch metrics and alarms from the log stream without a Prometheus scraper.
///
/// Namespace `Lakemark`, dimension `Stream` (the delivery stream name from the source ARN, else `unknown`);
/// metrics `Records`, `Events`, `ControlMessages`, `EmptyRecords`, `EventsWithoutText`, `Objects` (Count),
/// `RecordBytes` (Bytes), `BatchLatency` (Milliseconds) and `BatchFailures` (Count: 1 when the answer was not 200).
enum EmbeddedMetricLine {
    /// The metric names and units, in output order.
    static let metrics: [(name: String, unit: String)] = [
        ("Records", "Count"), ("Events", "Count"), ("ControlMessages", "Count"), ("EmptyRecords", "Count"),
        ("EventsWithoutText", "Count"), ("Objects", "Count"), ("RecordBytes", "Bytes"),
        ("BatchLatency", "Milliseconds"), ("BatchFailures", "Count"),
    ]

    /// The EMF JSON text of one batch (no trailing newline).
    static func render(_ outcome: BatchProcessor.Outcome, head: FirehoseRequestHead, seconds: Double, nowMillis: Int64)
        -> [UInt8]
    {
        let report = outcome.report
        let values: [Double] = [
            Double(report.records), Double(report.events), Double(report.controlMessages),
            Double(report.emptyRecords), Double(report.eventsWithoutText), Double(report.objects),
            Double(report.recordBytes), (seconds * 1_000 * 10).rounded() / 10, outcome.status == 200 ? 0 : 1,
        ]
        var writer = JSONWriter(capacity: 512)
        writer.appendRaw(#"{"_aws":{"Timestamp":"#)
        writer.appendInt(nowMillis)
        writer.appendRaw(#","CloudWatchMetrics":[{"Namespace":"Lakemark","Dimensions":[["Stream"]],"Metrics":["#)
        for (index, metric) in metrics.enumerated() {
            if index > 0 { writer.appendRaw(",") }
            writer.appendRaw(#"{"Name":"#)
            writer.appendString(metric.name)
            writer.appendRaw(#","Unit":"#)
            writer.appendString(metric.unit)
            writer.appendRaw("}")
        }
        writer.appendRaw(#"]}]},"Stream":"#)
        writer.appendString(head.sourceARNParts?.streamName ?? "unknown")
        writer.appendRaw(#","RequestId":"#)
        writer.appendString(outcome.requestID)
        for (metric, value) in zip(metrics, values) {
            writer.appendRaw(",")
            writer.appendString(metric.name)
            writer.appendRaw(":")
            writer.appendDecimal(value, decimals: 1)
        }
        writer.appendRaw("}")
        return writer.bytes
    }

    /// Writes the batch's line to standard output in one `write(2)`.
    static func write(_ outcome: BatchProcessor.Outcome, head: FirehoseRequestHead, seconds: Double) {
        var line = render(outcome, head: head, seconds: seconds, nowMillis: UTCTime.nowMillis())
        line.append(0x0A)
        line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
