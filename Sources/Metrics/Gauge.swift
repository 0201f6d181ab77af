import Synchronization

/// A value that goes up and down (Prometheus `gauge`), lock-free, in whole units.
public final class Gauge: Sendable {
    private let current = Atomic<Int>(0)

    /// Creates a gauge at zero; usually obtained from ``MetricsRegistry/gauge(_:help:labels:)``.
    public init() {}

    /// Sets the value.
    /// - Parameter value: The new value.
    public func set(_ value: Int) {
        current.store(value, ordering: .relaxed)
    }

    /// Adds to the value.
    /// - Parameter amount: How much to add (may be negative). Default: 1.
    public func increment(by amount: Int = 1) {
        current.add(amount, ordering: .relaxed)
    }

    /// Subtracts from the value.
    /// - Parameter amount: How much to subtract. Default: 1.
    public func decrement(by amount: Int = 1) {
        current.subtract(amount, ordering: .relaxed)
    }

    /// The value now.
    public var value: Int { current.load(ordering: .relaxed) }
}
