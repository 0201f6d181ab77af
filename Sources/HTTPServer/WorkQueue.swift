import Dispatch
import Synchronization

/// A bounded queue of request jobs feeding the worker threads.
///
/// A mutex guards the jobs; a counting semaphore wakes exactly one waiting worker per job, so workers block in
/// the kernel rather than spin.
final class WorkQueue: Sendable {
    private struct State {
        var jobs: [RequestJob] = []
        var head = 0
        var isClosed = false

        var count: Int { self.jobs.count - self.head }
    }

    /// The most jobs that may wait at once.
    let capacity: Int
    private let workerCount: Int
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    /// Creates a queue.
    /// - Parameters:
    ///   - capacity: The most jobs that may wait at once.
    ///   - workerCount: The number of worker threads that call ``pop()``, woken all at once by ``close()``.
    init(capacity: Int, workerCount: Int) {
        self.capacity = capacity
        self.workerCount = workerCount
    }

    /// Adds a job unless the queue is full or closed.
    /// - Parameter job: The job.
    /// - Returns: `false` when the job was not queued; the caller still owns its connection.
    func tryPush(_ job: RequestJob) -> Bool {
        let queued = self.state.withLock { state in
            guard !state.isClosed, state.count < self.capacity else {
                return false
            }
            state.jobs.append(job)
            return true
        }
        if queued {
            self.available.signal()
        }
        return queued
    }

    /// Waits for the next job.
    /// - Returns: The job, or `nil` once the queue is closed.
    func pop() -> RequestJob? {
        while true {
            self.available.wait()
            let next: RequestJob?? = self.state.withLock { state in
                if state.isClosed {
                    return .some(nil)
                }
                guard state.head < state.jobs.count else {
                    return nil
                }
                let job = state.jobs[state.head]
                state.head += 1
                if state.head > 64, state.head * 2 > state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return .some(job)
            }
            if let next {
                return next
            }
        }
    }

    /// When the job that has waited longest was received; `nil` when none waits.
    var oldestReceivedAt: ContinuousClock.Instant? {
        self.state.withLock { state in
            state.head < state.jobs.count ? state.jobs[state.head].receivedAt : nil
        }
    }

    /// Takes out the jobs received before `cutoff`, so no worker starts them.
    ///
    /// Jobs are queued in the order they were received, so the expired ones are the oldest. The semaphore keeps
    /// their signals; a worker woken by one finds no job and waits again.
    /// - Parameter cutoff: Jobs received before this instant are removed.
    /// - Returns: The removed jobs, oldest first; the caller owns their connections.
    func removeJobs(receivedBefore cutoff: ContinuousClock.Instant) -> [RequestJob] {
        self.state.withLock { state in
            var expired: [RequestJob] = []
            while state.head < state.jobs.count, state.jobs[state.head].receivedAt < cutoff {
                expired.append(state.jobs[state.head])
                state.head += 1
            }
            if state.head == state.jobs.count {
                state.jobs = []
                state.head = 0
            }
            return expired
        }
    }

    /// Closes the queue: waiting and future ``pop()`` calls return `nil`.
    /// - Returns: The jobs that were never started; the caller must close their connections.
    func close() -> [RequestJob] {
        let remaining = self.state.withLock { state -> [RequestJob] in
            guard !state.isClosed else {
                return []
            }
            state.isClosed = true
            let remaining = Array(state.jobs[state.head...])
            state.jobs = []
            state.head = 0
            return remaining
        }
        for _ in 0..<self.workerCount {
            self.available.signal()
        }
        return remaining
    }
}
