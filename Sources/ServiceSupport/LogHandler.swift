/// The destination of log records.
///
/// A handler receives records that already passed the logger's level filter and redaction; it only has to
/// render and write them. Implementations must be safe to call from many threads at once.
public protocol LogHandler: Sendable {
    /// Writes one record.
    ///
    /// - Parameter record: The record to write.
    func write(_ record: LogRecord)
}
