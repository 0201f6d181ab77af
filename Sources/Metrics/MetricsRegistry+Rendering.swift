extension MetricsRegistry {
    /// Appends one family: `# HELP`, `# TYPE`, then its series sorted by their label text.
    static func render(_ family: Family, into text: inout String) {
        text += "# HELP \(family.name) \(escapeHelp(family.help))\n"
        text += "# TYPE \(family.name) \(family.type.rawValue)\n"
        if let collector = family.collector {
            let samples = collector().map { (labels: labelText($0.labels), value: $0.value) }
            for sample in samples.sorted(by: { $0.labels < $1.labels }) {
                text += "\(family.name)\(sample.labels) \(format(sample.value))\n"
            }
            return
        }
        let series = family.series.map { (labels: $0.key, text: labelText($0.key), series: $0.value) }
        for entry in series.sorted(by: { $0.text < $1.text }) {
            switch entry.series {
            case .counter(let counter):
                text += "\(family.name)\(entry.text) \(counter.value)\n"
            case .gauge(let gauge):
                text += "\(family.name)\(entry.text) \(gauge.value)\n"
            case .histogram(let histogram):
                renderHistogram(family.name, labels: entry.labels, histogram.snapshot, into: &text)
            }
        }
    }

    /// Appends `_bucket` series (cumulative, `+Inf` last), `_sum` and `_count`.
    static func renderHistogram(
        _ name: String,
        labels: MetricLabels,
        _ snapshot: Histogram.Snapshot,
        into text: inout String
    ) {
        for (bound, count) in zip(snapshot.upperBounds, snapshot.cumulativeCounts) {
            text += "\(name)_bucket\(labelText(labels, le: format(bound))) \(count)\n"
        }
        text += "\(name)_bucket\(labelText(labels, le: "+Inf")) \(snapshot.count)\n"
        let plain = labelText(labels)
        text += "\(name)_sum\(plain) \(format(snapshot.sum))\n"
        text += "\(name)_count\(plain) \(snapshot.count)\n"
    }

    /// `{name="value",…}` with escaped values, `le` last when given; empty without labels.
    /// - Parameters:
    ///   - labels: The labels.
    ///   - le: The bucket bound, for `_bucket` series.
    /// - Returns: The label text.
    static func labelText(_ labels: MetricLabels, le: String? = nil) -> String {
        var pairs = zip(labels.names, labels.values).map { "\($0)=\"\(escapeLabelValue($1))\"" }
        if let le { pairs.append("le=\"\(le)\"") }
        return pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}"
    }

    /// A label value with `\`, `"` and line feeds escaped.
    /// - Parameter value: The raw value.
    /// - Returns: The escaped value.
    static func escapeLabelValue(_ value: String) -> String {
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Help text with `\` and line feeds escaped.
    /// - Parameter help: The raw help text.
    /// - Returns: The escaped text.
    static func escapeHelp(_ help: String) -> String {
        var escaped = ""
        for character in help.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A sample value: whole numbers without a fraction, `+Inf`, `-Inf`, `NaN`, else the shortest exact decimal.
    /// - Parameter value: The value.
    /// - Returns: The text.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }
}
