/// The label pairs of one time series, kept sorted by name.
public struct MetricLabels: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// Label names, ascending.
    public let names: [String]
    /// Label values, in the order of ``names``.
    public let values: [String]

    /// Creates labels from pairs.
    /// - Parameter pairs: Name and value pairs; the last value wins when a name repeats.
    public init(_ pairs: [String: String]) {
        let sorted = pairs.sorted { $0.key < $1.key }
        names = sorted.map(\.key)
        values = sorted.map(\.value)
    }

    /// Creates labels from a literal such as `["path": "ingest", "status": "200"]`.
    /// - Parameter elements: Name and value pairs.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// No labels.
    public static let none = MetricLabels([:])
}
