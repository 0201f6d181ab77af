import Synchronization

/// A ``LogHandler`` that keeps every record in memory, for tests.
public final class CapturingLogHandler: LogHandler {
    private let state = Mutex<[LogRecord]>([])

    /// Creates an empty handler.
    public init() {}

    /// Stores the record.
    ///
    /// - Parameter record: The record to keep.
    public func write(_ record: LogRecord) {
        state.withLock { $0.append(record) }
    }

    /// The records written so far, oldest first.
    public var records: [LogRecord] {
        state.withLock { $0 }
    }

    /// The records written so far rendered as JSON lines (without the trailing newline), oldest first.
    public var lines: [String] {
        records.map { record in
            var bytes = record.jsonLine()
            bytes.removeLast()
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Forgets all records written so far.
    public func reset() {
        state.withLock { $0.removeAll() }
    }
}
