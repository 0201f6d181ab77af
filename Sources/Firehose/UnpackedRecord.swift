/// What one Firehose record turned into after ``RecordUnpacker`` looked inside it.
public enum UnpackedRecord: Sendable {
    /// The record had no data (zero bytes, only whitespace, or an empty gzip member); nothing to store.
    case empty
    /// A CloudWatch Logs `CONTROL_MESSAGE` (a destination health check); accept and drop it.
    case control
    /// The events to enrich and store, in order. Empty only for a CloudWatch `DATA_MESSAGE` without log events.
    case events([InputEvent])
}
