import Firehose
import ServiceSupport

/// The one log line written per Firehose request.
enum RequestLog {
    /// Logs one finished request: counts, bytes, status, duration and the error code on failure.
    static func write(_ outcome: BatchProcessor.Outcome, head: FirehoseRequestHead, seconds: Double, logger: Logger) {
        let report = outcome.report
        var metadata: [String: LogValue] = [
            "request_id": .string(outcome.requestID),
            "status": .int(outcome.status),
            "records": .int(report.records),
            "events": .int(report.events),
            "control_messages": .int(report.controlMessages),
            "empty_records": .int(report.emptyRecords),
            "events_without_text": .int(report.eventsWithoutText),
            "wrapped_events": .int(report.wrappedEvents),
            "objects": .int(report.objects),
            "wire_bytes": .int(report.wireBytes),
            "record_bytes": .int(report.recordBytes),
            "duration_ms": .double((seconds * 1_000 * 10).rounded() / 10),
        ]
        if report.ocsfRecords + report.ocsfUnmapped + report.ocsfInvalid > 0 {
            metadata["ocsf_records"] = .int(report.ocsfRecords)
            metadata["ocsf_no_mapping"] = .int(report.ocsfUnmapped)
            metadata["ocsf_invalid"] = .int(report.ocsfInvalid)
        }
        if let source = head.sourceARNParts?.streamName { metadata["stream"] = .string(source) }
        if let remote = report.remoteMapping { remote.addMetadata(to: &metadata) }
        if let code = outcome.errorCode {
            metadata["error_code"] = .string(code)
            if report.objectsAttempted > 0 {
                // A failed write may have stored some objects: "objects": 0 would claim none was.
                metadata["objects"] = nil
                metadata["objects_attempted"] = .int(report.objectsAttempted)
            }
            if outcome.status >= 500 {
                logger.error("batch failed", metadata)
            } else {
                logger.warning("batch rejected", metadata)
            }
        } else if let degradation = report.remoteMapping?.degradation {
            metadata["error_code"] = .string(degradation)
            logger.warning("batch stored; some events have no mapping", metadata)
        } else if report.remoteMapping?.fallback != nil {
            logger.warning("batch stored; the embedded engine mapped for the remote API", metadata)
        } else {
            logger.info("batch stored", metadata)
        }
    }
}
