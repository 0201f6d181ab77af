import Synchronization

/// A monotonically increasing count (Prometheus `counter`), lock-free.
public final class Counter: Sendable {
    private let total = Atomic<Int>(0)

    /// Creates a counter at zero; usually obtained from ``MetricsRegistry/counter(_:help:labels:)``.
    public init() {}

    /// Adds to the count.
    /// - Parameter amount: How much to add; negative amounts are ignored (counters never go down). Default: 1.
    public func increment(by amount: Int = 1) {
        guard amount > 0 else { return }
        total.add(amount, ordering: .relaxed)
    }

    /// The count now.
    public var value: Int { total.load(ordering: .relaxed) }
}
