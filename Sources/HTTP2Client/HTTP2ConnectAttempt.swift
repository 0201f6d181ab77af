import Dispatch
import HTTPCore
import Synchronization

/// One opening of a connection that several threads wait for.
final class HTTP2ConnectAttempt: Sendable {
    private let result = Mutex<Result<HTTP2Connection, HTTP2ClientError>?>(nil)
    private let done = DispatchGroup()

    /// Creates a pending attempt.
    init() {
        self.done.enter()
    }

    /// Publishes the outcome and wakes every waiter.
    func finish(_ outcome: Result<HTTP2Connection, HTTP2ClientError>) {
        self.result.withLock { $0 = outcome }
        self.done.leave()
    }

    /// Waits for the outcome.
    /// - Parameter timeout: The longest wait.
    /// - Returns: The connection or the failure; a `timeout` failure when the attempt did not end in time.
    func wait(timeout: Duration) -> Result<HTTP2Connection, HTTP2ClientError> {
        _ = self.done.wait(timeout: .now() + .milliseconds(Int(timeout.pollMilliseconds)))
        return self.result.withLock { $0 }
            ?? .failure(HTTP2ClientError(.timeout, "another thread's connection attempt did not finish in time"))
    }
}
