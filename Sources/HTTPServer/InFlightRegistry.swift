import Synchronization

/// The descriptors currently owned by workers, so shutdown can interrupt them after the grace period.
final class InFlightRegistry: Sendable {
    private let descriptors = Mutex(Set<Int32>())

    /// Records that a worker owns `fd`.
    /// - Parameter fd: The connection descriptor.
    func insert(_ fd: Int32) {
        self.descriptors.withLock { _ = $0.insert(fd) }
    }

    /// Records that the worker no longer owns `fd`; must happen before the descriptor is closed or handed back.
    /// - Parameter fd: The connection descriptor.
    func remove(_ fd: Int32) {
        self.descriptors.withLock { _ = $0.remove(fd) }
    }

    /// Shuts down every registered socket in both directions, so blocked reads and writes fail at once.
    ///
    /// The `shutdown` calls happen under the lock on purpose: a worker removes its descriptor (taking the same
    /// lock) before closing it, so no descriptor number can be closed and reused by another connection while
    /// it is being shut down here. `shutdown` does not block.
    func interruptAll() {
        self.descriptors.withLock { descriptors in
            for fd in descriptors {
                Syscall.shutdownBoth(fd)
            }
        }
    }
}
