import Synchronization

/// Observations counted into fixed buckets (Prometheus `histogram`), with their sum and count.
public final class Histogram: Sendable {
    /// What a histogram holds at one moment.
    public struct Snapshot: Sendable, Hashable {
        /// The upper bounds of the buckets, ascending (the implicit `+Inf` bucket is not listed).
        public var upperBounds: [Double]
        /// Observations at or below each bound, cumulative, one per ``upperBounds`` entry.
        public var cumulativeCounts: [Int]
        /// Every observation, the `+Inf` bucket.
        public var count: Int
        /// The sum of every observation.
        public var sum: Double
    }

    private struct State {
        var bucketCounts: [Int]
        var count = 0
        var sum = 0.0
    }

    /// The bucket upper bounds, ascending, without `+Inf`.
    public let upperBounds: [Double]
    private let state: Mutex<State>

    /// Creates an empty histogram.
    /// - Parameter upperBounds: The bucket upper bounds; sorted, duplicates and non-finite bounds dropped (the
    ///   `+Inf` bucket always exists).
    public init(upperBounds: [Double]) {
        let bounds = Array(Set(upperBounds.filter(\.isFinite))).sorted()
        self.upperBounds = bounds
        self.state = Mutex(State(bucketCounts: Array(repeating: 0, count: bounds.count)))
    }

    /// Records one observation (NaN is ignored).
    /// - Parameter value: The observed value, in the family's base unit (seconds, bytes).
    public func observe(_ value: Double) {
        guard !value.isNaN else { return }
        let index = upperBounds.firstIndex { value <= $0 }
        state.withLock { state in
            if let index { state.bucketCounts[index] += 1 }
            state.count += 1
            state.sum += value
        }
    }

    /// The buckets (cumulative), count and sum now.
    public var snapshot: Snapshot {
        let copy = state.withLock { $0 }
        var running = 0
        let cumulative = copy.bucketCounts.map { count in
            running += count
            return running
        }
        return Snapshot(upperBounds: upperBounds, cumulativeCounts: cumulative, count: copy.count, sum: copy.sum)
    }
}
