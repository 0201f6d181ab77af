import HTTPClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The deadline of the S3 operation running on the current thread.
///
/// ``HTTPClient`` takes its timeouts from its configuration; to bound a whole operation (all attempts, each
/// connect, read and write) the client's connector wraps every connection in a ``DeadlineConnection`` that
/// shortens each timeout to what is left of the deadline set here. `HTTPClient.send` blocks the calling
/// thread, so a thread-local value reaches exactly the I/O of that call.
enum OperationDeadline {
    /// A deadline on the heap, so a thread-specific pointer can refer to it.
    private final class Box {
        /// The deadline.
        let instant: ContinuousClock.Instant

        /// Boxes a deadline.
        init(_ instant: ContinuousClock.Instant) {
            self.instant = instant
        }
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key, nil)
        precondition(status == 0, "pthread_key_create failed")
        return key
    }()

    /// The deadline of the current thread's operation, if any.
    static var current: ContinuousClock.Instant? {
        guard let pointer = pthread_getspecific(self.key) else {
            return nil
        }
        return Unmanaged<Box>.fromOpaque(pointer).takeUnretainedValue().instant
    }

    /// Runs `body` with `deadline` as the current thread's deadline, then restores the previous one.
    /// - Parameters:
    ///   - deadline: The deadline.
    ///   - body: The work.
    /// - Returns: What `body` returns.
    static func with<Value>(_ deadline: ContinuousClock.Instant, _ body: () -> Value) -> Value {
        let previous = pthread_getspecific(self.key)
        let box = Unmanaged.passRetained(Box(deadline))
        pthread_setspecific(self.key, box.toOpaque())
        defer {
            pthread_setspecific(self.key, previous)
            box.release()
        }
        return body()
    }

    /// Shortens a timeout to what is left of the current deadline.
    /// - Parameters:
    ///   - timeout: The configured timeout.
    ///   - context: What is being timed, for the error.
    /// - Returns: The smaller of `timeout` and the time left.
    /// - Throws: ``HTTPClientError`` with code `timeout` when the deadline has passed.
    static func clamp(_ timeout: Duration, context: String) throws(HTTPClientError) -> Duration {
        guard let deadline = self.current else {
            return timeout
        }
        let left = deadline - .now
        guard left > .zero else {
            throw HTTPClientError(.timeout, detail: "\(context): the operation's time budget ran out")
        }
        return min(timeout, left)
    }
}

/// Wraps a connector so that connecting and every read and write respect ``OperationDeadline``.
struct DeadlineConnector: HTTPTransportConnector {
    /// The connector doing the work.
    let inner: any HTTPTransportConnector

    /// Connects within the configured timeout or the time left, whichever is shorter.
    func connect(host: String, port: Int, timeout: Duration) throws(HTTPClientError) -> any HTTPTransportConnection {
        let clamped = try OperationDeadline.clamp(timeout, context: "connect")
        return DeadlineConnection(inner: try self.inner.connect(host: host, port: port, timeout: clamped))
    }
}

/// A connection whose reads and writes respect ``OperationDeadline``; writes go out in slices so that a slow
/// body cannot outlast the deadline.
final class DeadlineConnection: HTTPTransportConnection {
    /// The largest slice written with one timeout.
    private static let slice = 1 << 20
    private let inner: any HTTPTransportConnection

    /// Wraps a connection.
    /// - Parameter inner: The connection doing the work.
    init(inner: any HTTPTransportConnection) {
        self.inner = inner
    }

    /// Writes in slices of at most 1 MiB, each with the configured timeout or the time left if shorter.
    func write(
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer,
        timeout: Duration
    ) throws(HTTPClientError) {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        guard first.count + second.count > Self.slice else {
            try self.inner.write(first, second, timeout: try OperationDeadline.clamp(timeout, context: "write"))
            return
        }
        for part in [first, second] {
            var offset = 0
            while offset < part.count {
                let end = min(part.count, offset + Self.slice)
                let clamped = try OperationDeadline.clamp(timeout, context: "write")
                try self.inner.write(UnsafeRawBufferPointer(rebasing: part[offset..<end]), empty, timeout: clamped)
                offset = end
            }
        }
    }

    /// Reads with the configured timeout or the time left, whichever is shorter.
    func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration) throws(HTTPClientError) -> Int {
        try self.inner.read(into: buffer, timeout: try OperationDeadline.clamp(timeout, context: "read"))
    }

    /// Whether the wrapped connection can be reused.
    var isReusable: Bool { self.inner.isReusable }

    /// Closes the wrapped connection.
    func close() {
        self.inner.close()
    }
}
