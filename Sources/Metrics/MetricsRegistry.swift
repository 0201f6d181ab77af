import Synchronization

/// Metric families by name, rendered on demand in the Prometheus text exposition format (version 0.0.4).
///
/// Counters, gauges and histograms are created on first use and shared afterwards: asking twice for the same
/// name and labels returns the same instance. Collectors add families whose values are read at scrape time
/// (statistics kept elsewhere). Asking for a name with another type, or a name that is not a valid metric name,
/// is a programming error and stops the process.
public final class MetricsRegistry: Sendable {
    /// The MIME type of ``render()``'s output.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// One series of a family.
    enum Series: Sendable {
        case counter(Counter)
        case gauge(Gauge)
        case histogram(Histogram)
    }

    /// A family: its metadata, its series and, for collected families, how to read them.
    struct Family: Sendable {
        let name: String
        let help: String
        let type: MetricType
        var series: [MetricLabels: Series] = [:]
        var collector: (@Sendable () -> [MetricSample])?
    }

    private let families = Mutex<[String: Family]>([:])

    /// Creates an empty registry.
    public init() {}

    /// The counter of a family and label set, created at zero on first use.
    /// - Parameters:
    ///   - name: The family name; ends in `_total` by convention.
    ///   - help: One line describing the family.
    ///   - labels: The series' labels. Default: none.
    /// - Returns: The counter.
    public func counter(_ name: String, help: String, labels: MetricLabels = .none) -> Counter {
        let series = series(name, help: help, type: .counter, labels: labels) { .counter(Counter()) }
        guard case .counter(let counter) = series else { preconditionFailure("\(name) is not a counter") }
        return counter
    }

    /// The gauge of a family and label set, created at zero on first use.
    /// - Parameters:
    ///   - name: The family name.
    ///   - help: One line describing the family.
    ///   - labels: The series' labels. Default: none.
    /// - Returns: The gauge.
    public func gauge(_ name: String, help: String, labels: MetricLabels = .none) -> Gauge {
        let series = series(name, help: help, type: .gauge, labels: labels) { .gauge(Gauge()) }
        guard case .gauge(let gauge) = series else { preconditionFailure("\(name) is not a gauge") }
        return gauge
    }

    /// The histogram of a family and label set, created empty on first use.
    /// - Parameters:
    ///   - name: The family name, with its base unit (`_seconds`, `_bytes`).
    ///   - help: One line describing the family.
    ///   - upperBounds: The bucket upper bounds (used only when the series is created).
    ///   - labels: The series' labels. Default: none.
    /// - Returns: The histogram.
    public func histogram(
        _ name: String,
        help: String,
        upperBounds: [Double],
        labels: MetricLabels = .none
    ) -> Histogram {
        let series = series(name, help: help, type: .histogram, labels: labels) {
            .histogram(Histogram(upperBounds: upperBounds))
        }
        guard case .histogram(let histogram) = series else { preconditionFailure("\(name) is not a histogram") }
        return histogram
    }

    /// Adds a family whose samples are read at each scrape, outside the registry's lock.
    /// - Parameters:
    ///   - name: The family name.
    ///   - type: ``MetricType/counter`` or ``MetricType/gauge``.
    ///   - help: One line describing the family.
    ///   - samples: Reads the samples; called on the scraping thread, must be cheap and must not call the registry.
    public func collect(
        _ name: String,
        type: MetricType,
        help: String,
        _ samples: @escaping @Sendable () -> [MetricSample]
    ) {
        precondition(type != .histogram, "collected histograms are not supported")
        precondition(Self.isValidName(name), "invalid metric name \(name)")
        families.withLock { families in
            precondition(families[name] == nil, "\(name) is registered twice")
            families[name] = Family(name: name, help: help, type: type, collector: samples)
        }
    }

    /// Every family as exposition text: families sorted by name, series by labels, one `# HELP` and `# TYPE`
    /// line per family.
    /// - Returns: The text, ending in a newline.
    public func render() -> String {
        let snapshot = families.withLock { Array($0.values) }
        var text = ""
        for family in snapshot.sorted(by: { $0.name < $1.name }) {
            Self.render(family, into: &text)
        }
        return text
    }

    private func series(
        _ name: String,
        help: String,
        type: MetricType,
        labels: MetricLabels,
        make: () -> Series
    ) -> Series {
        precondition(Self.isValidName(name), "invalid metric name \(name)")
        precondition(labels.names.allSatisfy(Self.isValidLabelName), "invalid label name in \(name)")
        return families.withLock { families in
            var family = families[name] ?? Family(name: name, help: help, type: type)
            precondition(family.type == type && family.collector == nil, "\(name) is registered with another type")
            if let existing = family.series[labels] { return existing }
            let created = make()
            family.series[labels] = created
            families[name] = family
            return created
        }
    }

    /// Whether a string matches `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isValidName(_ name: String) -> Bool {
        isIdentifier(name, extra: UInt8(ascii: ":"))
    }

    /// Whether a string matches `[a-zA-Z_][a-zA-Z0-9_]*` and does not start with `__` (reserved).
    static func isValidLabelName(_ name: String) -> Bool {
        isIdentifier(name, extra: nil) && !name.hasPrefix("__")
    }

    private static func isIdentifier(_ name: String, extra: UInt8?) -> Bool {
        var first = true
        for byte in name.utf8 {
            let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            let allowed = letter || byte == UInt8(ascii: "_") || byte == extra || (digit && !first)
            if !allowed { return false }
            first = false
        }
        return !first
    }
}
