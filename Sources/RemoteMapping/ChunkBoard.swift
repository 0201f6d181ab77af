import Dispatch
import Synchronization

/// The calls of one batch: which chunk goes next, what each returned, and whether the batch stopped waiting.
///
/// Worker threads claim chunks and post outcomes; the batch's thread waits until every chunk is done or the
/// budget runs out, then abandons the board (workers still in a call finish it and their outcome is ignored).
final class ChunkBoard: Sendable {
    /// What one chunk's calls came to.
    typealias Outcome = Result<MapResponseDecoder.Answer, RemoteMappingError>

    private struct State {
        var outcomes: [Outcome?]
        var remaining: Int
        var isAbandoned = false
    }

    private let state: Mutex<State>
    private let nextChunk = Atomic<Int>(0)
    private let done = DispatchSemaphore(value: 0)
    /// HTTP calls made so far.
    let calls = Atomic<Int>(0)
    /// Retries among ``calls``.
    let retries = Atomic<Int>(0)
    /// The number of chunks.
    let count: Int

    /// Creates a board for `count` chunks.
    init(count: Int) {
        self.count = count
        self.state = Mutex(State(outcomes: Array(repeating: nil, count: count), remaining: count))
    }

    /// The next chunk to call, or `nil` when none is left or the board was abandoned.
    func claim() -> Int? {
        guard !isAbandoned else { return nil }
        let index = nextChunk.add(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }

    /// Whether the batch stopped waiting.
    var isAbandoned: Bool { state.withLock { $0.isAbandoned } }

    /// Posts a chunk's outcome; the last one wakes the waiting thread.
    func finish(_ index: Int, _ outcome: Outcome) {
        let isLast = state.withLock { state -> Bool in
            guard !state.isAbandoned, case .none = state.outcomes[index] else { return false }
            state.outcomes[index] = outcome
            state.remaining -= 1
            return state.remaining == 0
        }
        if isLast { done.signal() }
    }

    /// Waits until every chunk has an outcome or `deadline` passes, then abandons the board.
    /// - Parameter deadline: The end of the batch's budget.
    /// - Returns: Each chunk's outcome; `nil` for chunks that did not finish in time.
    func waitAndAbandon(until deadline: ContinuousClock.Instant) -> [Outcome?] {
        let remaining = max(0, (deadline - .now).seconds)
        _ = done.wait(timeout: .now() + remaining)
        return state.withLock { state in
            state.isAbandoned = true
            return state.outcomes
        }
    }
}
