/// What one data-transformation invocation contained and how each record was answered; logged per invocation.
public struct LambdaReport: Sendable {
    /// Unpacking counts (empty records, control messages, events, texts) and stage timings.
    public var batch = BatchReport()
    /// Records answered `Ok` (enriched or not).
    public var okRecords = 0
    /// Records answered `Dropped` (CloudWatch Logs control messages, empty records, messages without events).
    public var droppedRecords = 0
    /// Records answered `ProcessingFailed` with their original data (bad base64, too large, corrupt gzip).
    public var failedRecords = 0
    /// `Ok` records returned with their original data because the enriched answer would pass the response limit.
    public var unenrichedForSize = 0
    /// `Ok` records returned with their original data because mapping did not finish inside the time left.
    public var unenrichedForTime = 0
    /// Why records were answered `ProcessingFailed`: the first ``maxFailureNotes`` reasons, for the log.
    public var failureNotes: [String] = []
    /// Whether mapping was cut short (or skipped) by the invocation's deadline.
    public var mappingTimedOut = false
    /// Bytes of the event document received.
    public var eventBytes = 0
    /// Bytes of the response document.
    public var responseBytes = 0

    /// The most reasons kept in ``failureNotes``.
    public static let maxFailureNotes = 5

    /// An empty report.
    public init() {}

    /// Records answered, whatever the result.
    public var records: Int { okRecords + droppedRecords + failedRecords }
}
