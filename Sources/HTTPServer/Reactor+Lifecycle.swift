import CLinux
import Glibc
import HTTPCore
import Synchronization

/// The reactor's deadlines (header, idle, linger, parking and queue timeouts) and its shutdown sequence.
extension Reactor {
    // MARK: - Deadlines

    /// Takes the requests that waited longer than ``HTTPServer/Configuration/queueWaitTimeout`` out of the
    /// queues and answers them the overload response at once, so a saturated server still answers promptly
    /// while every worker is held (their bodies stay unread; the connections linger, then close).
    /// - Parameter now: The current time.
    /// - Returns: When the next queued request expires, if any waits.
    func answerExpiredJobs(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        let timeout = self.configuration.queueWaitTimeout
        var nextExpiry: ContinuousClock.Instant?
        for queue in [self.context.workQueue] + (self.context.controlQueue.map { [$0] } ?? []) {
            for job in queue.removeJobs(receivedBefore: now - timeout) {
                let fd = job.connection.fd
                self.context.inFlight.remove(fd)
                self.context.inFlightCount.subtract(1, ordering: .relaxed)
                guard self.register(fd) else {
                    self.context.close(job.connection)
                    continue
                }
                let connection = Connection(
                    state: job.connection,
                    phase: .readingHead,
                    deadline: now,
                    isFresh: false,
                    limits: self.limits
                )
                connection.state.requestCount += 1
                self.connections[fd] = connection
                let error = HTTPServerError.queueTimeout(waited: now - job.receivedAt)
                self.respondAndLinger(connection, error: error, head: job.head)
            }
            if let oldest = queue.oldestReceivedAt {
                nextExpiry = min(nextExpiry ?? oldest + timeout, oldest + timeout)
            }
        }
        return nextExpiry
    }

    /// Brings the next deadline scan forward to `deadline` when it is sooner.
    func noteDeadline(_ deadline: ContinuousClock.Instant) {
        if deadline < self.nextScan {
            self.nextScan = deadline
        }
    }

    /// Milliseconds `epoll_wait` may sleep: until the next scan, at most ``maximumTick``.
    func pollTimeout() -> Int32 {
        var wake = min(self.nextScan, .now + Self.maximumTick)
        if let paused = self.acceptPausedUntil {
            wake = min(wake, paused)
        }
        if self.isDrainStarted, let deadline = self.context.drainDeadlineInstant {
            wake = min(wake, deadline)
        }
        return (wake - .now).pollMilliseconds
    }

    /// Answers or closes the connections whose deadline has passed, and the queued requests that waited longer
    /// than the queue timeout.
    func expireConnections(now: ContinuousClock.Instant) {
        var earliest = now + Self.maximumTick
        var expired: [Connection] = []
        for connection in self.connections.values {
            if connection.deadline <= now {
                expired.append(connection)
            } else if connection.deadline < earliest {
                earliest = connection.deadline
            }
        }
        if let nextExpiry = self.answerExpiredJobs(now: now), nextExpiry < earliest {
            earliest = nextExpiry
        }
        self.nextScan = earliest
        for connection in expired {
            if connection.phase == .readingHead, !connection.state.pending.isEmpty {
                self.sendErrorResponse(connection, error: HTTPServerError(.headerTimeout), head: nil)
            } else if connection.phase == .parked {
                let error = HTTPServerError(.writeTimeout, detail: "the client left its responses unread")
                self.context.emit(.serverError(connectionID: connection.state.id, error: error, head: nil))
            }
            self.closeConnection(connection)
        }
    }

    // MARK: - Shutdown

    /// Advances a graceful shutdown.
    /// - Returns: `true` when the loop should stop.
    func drainStep(now: ContinuousClock.Instant) -> Bool {
        if !self.isDrainStarted {
            self.isDrainStarted = true
            if self.listenFD >= 0 {
                Syscall.close(self.listenFD)
                self.listenFD = -1
            }
            self.acceptPausedUntil = nil
            for connection in Array(self.connections.values) {
                self.closeConnection(connection)
            }
        }
        if self.context.inFlightCount.load(ordering: .acquiring) == 0 {
            return true
        }
        guard let deadline = self.context.drainDeadlineInstant, now >= deadline else {
            return false
        }
        self.context.interruptedAtDeadline.store(
            self.context.inFlightCount.load(ordering: .acquiring),
            ordering: .releasing
        )
        self.context.inFlight.interruptAll()
        return true
    }

    /// Closes everything the reactor still owns and stops the workers once their current request ends.
    func finish() {
        for job in self.context.workQueue.close() + (self.context.controlQueue?.close() ?? []) {
            self.context.inFlight.remove(job.connection.fd)
            self.context.inFlightCount.subtract(1, ordering: .relaxed)
            self.context.close(job.connection)
        }
        for message in self.context.mailbox.close() {
            switch message {
            case .resume(let state), .linger(let state):
                self.context.close(state)
            }
        }
        for connection in Array(self.connections.values) {
            self.closeConnection(connection)
        }
        if self.listenFD >= 0 {
            Syscall.close(self.listenFD)
            self.listenFD = -1
        }
        Syscall.close(self.epollFD)
    }
}
