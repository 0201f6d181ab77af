#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// `write(2)`, named so that it is not shadowed by ``StderrLogHandler/write(_:)``.
private let systemWrite = write

/// A ``LogHandler`` that writes each record as one JSON line to standard error (or another file descriptor).
///
/// Each line is rendered completely first and then written with `write(2)` while a process-wide lock is held,
/// so lines from concurrent threads never interleave. Write errors are ignored: logging must not fail the
/// operation being logged.
public struct StderrLogHandler: LogHandler {
    /// Serialises writers in this process so that a line split over several `write(2)` calls stays whole.
    private static let writeLock = Mutex<Void>(())

    /// The file descriptor lines are written to. Default: 2 (standard error).
    public let fileDescriptor: Int32

    /// Creates a handler.
    ///
    /// - Parameter fileDescriptor: Where to write. Default: 2 (standard error). The handler does not close it.
    public init(fileDescriptor: Int32 = 2) {
        self.fileDescriptor = fileDescriptor
    }

    /// Renders the record as a JSON line and writes it.
    ///
    /// - Parameter record: The record to write.
    public func write(_ record: LogRecord) {
        let line = record.jsonLine()
        StderrLogHandler.writeLock.withLock { _ in
            line.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = systemWrite(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }
}
