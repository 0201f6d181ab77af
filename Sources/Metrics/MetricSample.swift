/// One value read at scrape time by a collector (see ``MetricsRegistry/collect(_:type:help:_:)``).
public struct MetricSample: Sendable, Hashable {
    /// The series' labels.
    public var labels: MetricLabels
    /// The value.
    public var value: Double

    /// Creates a sample.
    /// - Parameters:
    ///   - labels: The series' labels. Default: none.
    ///   - value: The value.
    public init(labels: MetricLabels = .none, value: Double) {
        self.labels = labels
        self.value = value
    }

    /// Creates a sample from a whole number.
    /// - Parameters:
    ///   - labels: The series' labels. Default: none.
    ///   - value: The value.
    public init(labels: MetricLabels = .none, _ value: Int) {
        self.init(labels: labels, value: Double(value))
    }
}
