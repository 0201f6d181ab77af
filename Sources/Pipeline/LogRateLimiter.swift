import Synchronization

/// Lets at most `linesPerSecond` log lines of one kind through, so a flood of bad requests cannot flood the
/// log; the first line after a quiet spell reports how many were suppressed.
final class LogRateLimiter: Sendable {
    private struct State {
        var second: Int64 = 0
        var linesThisSecond = 0
        var suppressed = 0
    }

    private let linesPerSecond: Int
    private let state = Mutex(State())

    /// Creates a limiter.
    /// - Parameter linesPerSecond: lines allowed per wall-clock second.
    init(linesPerSecond: Int) {
        self.linesPerSecond = max(1, linesPerSecond)
    }

    /// Whether a line may be written now, and how many were suppressed since the last one that was.
    /// - Parameter nowMillis: the current time in milliseconds.
    /// - Returns: `nil` when the line must be dropped; else the count of lines dropped before it.
    func admit(nowMillis: Int64) -> Int? {
        state.withLock { state in
            let second = nowMillis / 1_000
            if second != state.second {
                state.second = second
                state.linesThisSecond = 0
            }
            guard state.linesThisSecond < linesPerSecond else {
                state.suppressed += 1
                return nil
            }
            state.linesThisSecond += 1
            defer { state.suppressed = 0 }
            return state.suppressed
        }
    }
}
