/// Controls known per event type (`event_priors.tsv`): CloudTrail event names, GuardDuty finding types,
/// Okta event types and Kubernetes verb + resource pairs.
///
/// Format (written by `scripts/build_event_priors.py`): header lines `#lakemark-event-priors<TAB>1` and
/// `#beta<TAB>catalog=b<TAB>...`, then records `source<TAB>type<TAB>catalog<TAB>id<TAB>weight<TAB>via` with the
/// type lower-cased and weights in 0...1. When a text is mapped with a type (from a hint or named in the text),
/// each control of the type gains `beta * weight` on its fused score and is ranked even when the text does not
/// match it lexically. The file is optional: without it nothing is added.
struct EventPriors: Sendable {
    /// Name of the event priors file in the catalog directory.
    static let fileName = "event_priors.tsv"

    /// One control of an event type, already multiplied by the catalogue's beta.
    typealias Entry = (index: Int32, value: Float)

    /// Per type key (``key(source:type:)``) and catalogue name, the controls of that type.
    let entries: [String: [String: [Entry]]]
    /// The lower-cased types per source, for recognising them in text.
    let typesBySource: [String: Set<String>]

    /// No event priors.
    init() {
        entries = [:]
        typesBySource = [:]
    }

    /// Parses an event priors file against the loaded catalogues.
    /// - Parameters:
    ///   - bytes: The file contents.
    ///   - positions: Per catalogue name, the index of each control id; rows of unknown catalogues or ids are
    ///     skipped.
    /// - Throws: ``MappingError/Code/catalogInvalid`` when the file is malformed.
    init(bytes: [UInt8], positions: [String: [String: Int]]) throws(MappingError) {
        var betas: [String: Float] = [:]
        var version: String?
        TabFile.forEachLine(bytes) { range in
            guard !range.isEmpty, bytes[range.lowerBound] == UInt8(ascii: "#") else {
                return
            }
            let fields = TabFile.fieldRanges(bytes, range).map { String(decoding: bytes[$0], as: UTF8.self) }
            if fields[0] == "#lakemark-event-priors" {
                version = fields.count > 1 ? fields[1] : ""
            } else if fields[0] == "#beta" {
                for setting in fields.dropFirst() {
                    let parts = setting.split(separator: "=", maxSplits: 1)
                    if parts.count == 2, let value = Float(parts[1]), value >= 0, value <= 1 {
                        betas[String(parts[0])] = value
                    }
                }
            }
        }
        guard version == "1" else {
            throw MappingError(
                .catalogInvalid,
                "\(EventPriors.fileName): missing or unsupported #lakemark-event-priors"
            )
        }
        // Rows come grouped by source and type: a group's key and strings are made once, its rows only compared
        // as bytes (this file has thousands of rows and is read at every start).
        let catalogs = betas.keys.sorted().map { name in
            (name: name, bytes: Array(name.utf8), beta: betas[name] ?? 0, positions: positions[name] ?? [:])
        }
        var entries: [String: [String: [Entry]]] = [:]
        var types: [String: Set<String>] = [:]
        var group: (source: Range<Int>, type: Range<Int>, key: String, rows: [String: [Entry]])?
        func flush() {
            guard let finished = group else { return }
            for (catalog, rows) in finished.rows {
                entries[finished.key, default: [:]][catalog, default: []].append(contentsOf: rows)
            }
        }
        var lineNumber = 0
        var failure: MappingError?
        bytes.withUnsafeBufferPointer { buffer in
            let text = { (range: Range<Int>) in
                String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
            }
            TabFile.forEachLine(bytes) { range in
                lineNumber += 1
                guard failure == nil, !range.isEmpty, buffer[range.lowerBound] != UInt8(ascii: "#") else { return }
                let fields = TabFile.fieldRanges(bytes, range)
                guard !fields.allSatisfy(\.isEmpty) else { return }
                guard fields.count == 6,
                    let weight = Float(text(fields[4])),
                    weight >= 0, weight <= 1
                else {
                    failure = MappingError(
                        .catalogInvalid,
                        "\(EventPriors.fileName) line \(lineNumber): expected source, type, catalog, id, a weight "
                            + "in 0...1 and via"
                    )
                    return
                }
                let sameGroup = group.map {
                    buffer[$0.source].elementsEqual(buffer[fields[0]])
                        && buffer[$0.type].elementsEqual(buffer[fields[1]])
                } ?? false
                if !sameGroup {
                    flush()
                    let source = text(fields[0])
                    let type = text(fields[1]).lowercased()
                    types[source, default: []].insert(type)
                    group = (fields[0], fields[1], EventPriors.key(source: source, type: type), [:])
                }
                guard let catalog = catalogs.first(where: { buffer[fields[2]].elementsEqual($0.bytes) }),
                    let index = catalog.positions[text(fields[3])]
                else { return }
                group?.rows[catalog.name, default: []].append((Int32(index), catalog.beta * weight))
            }
        }
        if let failure { throw failure }
        flush()
        self.entries = entries
        self.typesBySource = types
    }

    /// Whether the file held no usable record.
    var isEmpty: Bool { entries.isEmpty }

    /// The dictionary key of a source and a lower-cased type.
    static func key(source: String, type: String) -> String {
        source + "\u{1F}" + type
    }

    /// The key of the most specific known type for a hint, or nil.
    /// - Parameter hint: The caller's event type.
    /// - Returns: The key of the type's row, or nil when the type is unknown.
    func key(for hint: EventTypeHint) -> String? {
        guard let known = typesBySource[hint.source] else {
            return nil
        }
        for candidate in EventPriors.candidates(source: hint.source, type: hint.type) where known.contains(candidate) {
            return EventPriors.key(source: hint.source, type: candidate)
        }
        return nil
    }

    /// The types a row may be written as for one event type, most specific first: the type itself and, for
    /// GuardDuty and Okta, its prefixes (`Recon:EC2/Portscan.B` -> `recon:ec2/portscan`, `recon:ec2`, `recon`);
    /// Kubernetes `verb resource` also as `* resource`; CloudTrail names without Lambda's date suffix.
    /// - Parameters:
    ///   - source: The event family.
    ///   - type: The event type as the event spells it.
    /// - Returns: Lower-cased candidates.
    static func candidates(source: String, type: String) -> [String] {
        let lower = type.lowercased()
        switch source {
        case "guardduty":
            return prefixes(lower, separators: ["!", ".", "/", ":"])
        case "okta":
            return prefixes(lower, separators: ["."])
        case "k8s-audit":
            let parts = lower.split(separator: " ", maxSplits: 1)
            return parts.count == 2 ? [lower, "* " + parts[1]] : [lower]
        case "cloudtrail":
            return [withoutVersionSuffix(lower)]
        default:
            return [lower]
        }
    }

    /// The string and its prefixes cut before each separator, longest first.
    private static func prefixes(_ text: String, separators: Set<Character>) -> [String] {
        var out = [text]
        var current = Substring(text)
        while let cut = current.lastIndex(where: { separators.contains($0) }) {
            current = current[..<cut]
            if current.isEmpty {
                break
            }
            out.append(String(current))
        }
        return out
    }

    /// `updatefunctioncode20150331v2` -> `updatefunctioncode` (Lambda's API names carry a version date).
    private static func withoutVersionSuffix(_ name: String) -> String {
        var bytes = Array(name.utf8)
        if let v = bytes.lastIndex(of: UInt8(ascii: "v")), v + 1 < bytes.count,
            bytes[(v + 1)...].allSatisfy({ $0 &- UInt8(ascii: "0") < 10 })
        {
            bytes.removeSubrange(v...)
        }
        var digits = 0
        while digits < bytes.count, bytes[bytes.count - 1 - digits] &- UInt8(ascii: "0") < 10 {
            digits += 1
        }
        guard digits == 8, bytes.count > 8 else {
            return name
        }
        return String(decoding: bytes.dropLast(8), as: UTF8.self)
    }

    /// The controls of some types in one catalogue, the best value per control.
    /// - Parameters:
    ///   - keys: Type keys (from ``key(for:)`` or ``detect(in:)``).
    ///   - catalog: The catalogue name.
    /// - Returns: Control indexes and scaled values, one per control.
    func entries(for keys: [String], catalog: String) -> [Entry] {
        if keys.count == 1 {
            return entries[keys[0]]?[catalog] ?? []
        }
        var best: [Int32: Float] = [:]
        for key in keys {
            for entry in entries[key]?[catalog] ?? [] {
                best[entry.index] = max(best[entry.index] ?? 0, entry.value)
            }
        }
        return best.sorted { $0.key < $1.key }.map { (index: $0.key, value: $0.value) }
    }
}
