import ServiceSupport

/// The one log line written per Lambda invocation.
enum LambdaInvocationLog {
    /// Logs one answered invocation: results per record, what was left unenriched and why, bytes and duration.
    /// - Parameters:
    ///   - report: What the transformation did.
    ///   - traceID: The invocation's X-Ray trace header, if any.
    ///   - milliseconds: The time taken.
    ///   - logger: The invocation's logger.
    static func write(_ report: LambdaReport, traceID: String?, milliseconds: Double, logger: Logger) {
        var metadata: [String: LogValue] = [
            "records": .int(report.records),
            "ok": .int(report.okRecords),
            "dropped": .int(report.droppedRecords),
            "processing_failed": .int(report.failedRecords),
            "unenriched_size": .int(report.unenrichedForSize),
            "unenriched_time": .int(report.unenrichedForTime),
            "events": .int(report.batch.events),
            "control_messages": .int(report.batch.controlMessages),
            "empty_records": .int(report.batch.emptyRecords),
            "events_without_text": .int(report.batch.eventsWithoutText),
            "distinct_texts": .int(report.batch.distinctTexts),
            "event_bytes": .int(report.eventBytes),
            "response_bytes": .int(report.responseBytes),
            "duration_ms": .double(milliseconds),
        ]
        if let traceID { metadata["trace_id"] = .string(traceID) }
        if !report.failureNotes.isEmpty {
            metadata["processing_failed_reasons"] = .string(report.failureNotes.joined(separator: "; "))
        }
        if let remote = report.batch.remoteMapping { remote.addMetadata(to: &metadata) }
        if report.unenrichedForSize > 0 {
            metadata["error_code"] = "lambda.response_limit"
            logger.warning("records returned unenriched: the enriched answer would pass 6 MB", metadata)
        } else if report.unenrichedForTime > 0 {
            metadata["error_code"] = "lambda.deadline"
            logger.warning("records returned unenriched: mapping did not finish before the deadline", metadata)
        } else if let degradation = report.batch.remoteMapping?.degradation {
            metadata["error_code"] = .string(degradation)
            logger.warning("invocation answered; some events have no mapping", metadata)
        } else if report.batch.remoteMapping?.fallback != nil {
            logger.warning("invocation answered; the embedded engine mapped for the remote API", metadata)
        } else {
            logger.info("invocation answered", metadata)
        }
    }

    /// The Lambda `errorType` of a failed invocation.
    /// - Parameter code: The transformation error code.
    /// - Returns: `Lakemark.InvalidEvent`, `Lakemark.MappingUnavailable` or `Lakemark.MappingFailed`.
    static func errorType(_ code: TransformationError.Code) -> String {
        switch code {
        case .invalidEvent: "Lakemark.InvalidEvent"
        case .mappingUnavailable: "Lakemark.MappingUnavailable"
        default: "Lakemark.MappingFailed"
        }
    }
}
