import CLinux
import Glibc
import Synchronization

/// Carries connections from workers back to the reactor and wakes it through an `eventfd`.
///
/// The eventfd lives as long as the mailbox, so a worker that finishes after the reactor has stopped never
/// writes to a closed (and possibly reused) descriptor; once closed, the mailbox refuses messages and the worker
/// closes the connection itself.
final class ReactorMailbox: Sendable {
    private struct State {
        var messages: [MailboxMessage] = []
        var isClosed = false
    }

    /// The eventfd the reactor registers with epoll.
    let eventFD: Int32
    private let state = Mutex(State())

    /// Creates a mailbox with a fresh non-blocking eventfd.
    /// - Throws: ``HTTPServerError`` with code `socketFailed` when `eventfd` fails.
    init() throws(HTTPServerError) {
        let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard fd >= 0 else {
            throw HTTPServerError(.socketFailed, errnoCode: errno, detail: "eventfd")
        }
        self.eventFD = fd
    }

    deinit {
        Syscall.close(self.eventFD)
    }

    /// Posts a message and wakes the reactor.
    /// - Parameter message: The message.
    /// - Returns: `false` when the mailbox is closed; the caller keeps ownership of the connection.
    func post(_ message: MailboxMessage) -> Bool {
        let accepted = self.state.withLock { state in
            guard !state.isClosed else {
                return false
            }
            state.messages.append(message)
            return true
        }
        if accepted {
            self.wake()
        }
        return accepted
    }

    /// Wakes the reactor without a message (used to signal shutdown or a finished request).
    func wake() {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { Glibc.write(self.eventFD, $0.baseAddress, 8) }
    }

    /// Takes every pending message; called by the reactor when the eventfd is readable.
    /// - Returns: The messages in posting order.
    func drain() -> [MailboxMessage] {
        var counter: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &counter) { Glibc.read(self.eventFD, $0.baseAddress, 8) }
        return self.state.withLock { state in
            let messages = state.messages
            state.messages = []
            return messages
        }
    }

    /// Refuses further messages.
    /// - Returns: The messages not yet drained; the caller must close their connections.
    func close() -> [MailboxMessage] {
        self.state.withLock { state in
            state.isClosed = true
            let messages = state.messages
            state.messages = []
            return messages
        }
    }
}
