/// The kind of a metric family, as written on its `# TYPE` line.
public enum MetricType: String, Sendable, Hashable {
    /// Only goes up; names end in `_total`.
    case counter
    /// Goes up and down.
    case gauge
    /// Bucketed observations with `_bucket`, `_sum` and `_count` series.
    case histogram
}
