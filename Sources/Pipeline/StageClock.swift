import Glibc

/// A monotonic stopwatch for stage timings.
struct StageClock {
    private var start: timespec

    /// Starts the clock.
    init() {
        start = Self.now()
    }

    /// Seconds since the clock started.
    func elapsed() -> Double { Self.seconds(from: start, to: Self.now()) }

    /// Seconds since the start or the previous lap; restarts the clock.
    mutating func lap() -> Double {
        let now = Self.now()
        defer { start = now }
        return Self.seconds(from: start, to: now)
    }

    private static func now() -> timespec {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return spec
    }

    private static func seconds(from: timespec, to: timespec) -> Double {
        Double(to.tv_sec - from.tv_sec) + Double(to.tv_nsec - from.tv_nsec) / 1e9
    }
}
