/// One entry of the source-field list: dotted paths to the text, joined with `+` when several fields
/// together make the text (`Title+Description`).
///
/// Syntax: segments separated by `.`; a segment ending in `[]` (or any segment that lands on an array) visits
/// every element. Examples: `finding_info.desc`, `detail.findings[].Title+detail.findings[].Description`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    /// The fields whose strings are joined, each a list of member names.
    public let parts: [[String]]
    /// The same fields as dotted paths, for lookups.
    let dottedParts: [String]

    /// Parses one entry.
    /// - Parameter text: the entry, e.g. `finding_info.title+finding_info.desc`.
    /// - Returns: `nil` when the entry is empty or has an empty segment.
    public init?(_ text: String) {
        var parts: [[String]] = []
        for part in text.split(separator: "+", omittingEmptySubsequences: false) {
            let trimmed = part.trimmingASCIIWhitespace()
            let segments = trimmed.split(separator: ".", omittingEmptySubsequences: false).map { segment in
                segment.hasSuffix("[]") ? String(segment.dropLast(2)) : String(segment)
            }
            guard !trimmed.isEmpty, !segments.contains(where: \.isEmpty) else { return nil }
            parts.append(segments)
        }
        guard !parts.isEmpty else { return nil }
        self.parts = parts
        self.dottedParts = parts.map { $0.joined(separator: ".") }
    }

    /// Parses a comma-separated list, as `SECBERUS_SOURCE_FIELD` holds it.
    /// - Parameter list: e.g. `finding_info.desc,description,message`.
    /// - Returns: the entries, or `nil` when any entry is malformed or the list is empty.
    public static func parseList(_ list: String) -> [FieldPath]? {
        let entries = list.split(separator: ",").map { String($0.trimmingASCIIWhitespace()) }.filter { !$0.isEmpty }
        guard !entries.isEmpty else { return nil }
        var paths: [FieldPath] = []
        for entry in entries {
            guard let path = FieldPath(entry) else { return nil }
            paths.append(path)
        }
        return paths
    }

    /// The entry as written (normalised).
    public var description: String { parts.map { $0.joined(separator: ".") }.joined(separator: "+") }
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs.
    func trimmingASCIIWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
