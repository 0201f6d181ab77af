import JSONBytes

/// Pulls the meaningful text out of an event: the first configured field that holds prose, else a text
/// synthesised from the fields that carry the event's meaning.
///
/// Where fields are looked for, in order: the event itself, then its EventBridge `detail` (and each of
/// `detail.findings[]`, the Security Hub form), then an `event` envelope member. Each field path is tried
/// with exact member names first, then ignoring ASCII case.
public struct TextExtractor: Sendable {
    /// The default source fields: OCSF findings, ASFF and GuardDuty (raw or through EventBridge), Okta,
    /// then generic names.
    public static let defaultSourceFields: [FieldPath] = [
        "finding_info.title+finding_info.desc",
        "Title+Description",
        "displayMessage",
        "message",
        "description",
        "summary",
    ].compactMap(FieldPath.init)

    /// How the text was found.
    public enum Origin: Sendable, Hashable {
        /// From a configured field path.
        case field(FieldPath)
        /// Synthesised from the fields of an event of this kind.
        case synthesized(EventKind)
    }

    /// The text of one event.
    public struct Extracted: Sendable, Hashable {
        /// The cleaned text, at most ``TextExtractor/maxTextBytes`` UTF-8 bytes.
        public var text: String
        /// Where it came from.
        public var origin: Origin
    }

    /// The ordered source fields; the first one holding a non-blank string wins.
    public let sourceFields: [FieldPath]
    /// Longest text kept, in UTF-8 bytes; longer texts are cut on a character boundary. Default: 2,048 bytes.
    public let maxTextBytes: Int
    /// Whether events without a matching field get a synthesised text. Default: `true`.
    public let synthesizes: Bool
    /// The first member names of the source fields, to skip paths whose start an object lacks.
    let leadingNames: MemberNameSet
    /// Per source field, the bits of its parts' first member names in ``leadingNames``.
    let fieldMasks: [UInt64]

    /// Creates an extractor.
    /// - Parameters:
    ///   - sourceFields: ordered field paths (default ``defaultSourceFields``).
    ///   - maxTextBytes: longest text kept, in bytes (at least 16).
    ///   - synthesizes: whether to synthesise text for events without prose.
    public init(sourceFields: [FieldPath] = defaultSourceFields, maxTextBytes: Int = 2_048, synthesizes: Bool = true) {
        self.sourceFields = sourceFields
        self.maxTextBytes = max(16, maxTextBytes)
        self.synthesizes = synthesizes
        let names = sourceFields.flatMap { $0.parts.compactMap(\.first) }
        let leading = MemberNameSet(names)
        self.leadingNames = leading
        self.fieldMasks = sourceFields.map { path in
            path.parts.reduce(0) { $0 | ($1.first.map(leading.bit(for:)) ?? MemberNameSet.all) }
        }
    }

    /// Extracts the text of an event.
    /// - Parameter tape: the parsed event (its root should be an object).
    /// - Returns: the text and its origin, or `nil` when the event carries nothing to map.
    public func extract(from tape: JSONTape) -> Extracted? {
        guard tape.kind(tape.rootIndex) == .object else { return nil }
        return extract(from: tape, layout: EventLayout(tape))
    }

    /// Extracts the text of an event whose layout is known.
    /// - Parameters:
    ///   - tape: the parsed event (its root should be an object).
    ///   - layout: the event's layout, ``EventLayout/init(_:)`` of the same tape.
    /// - Returns: the text and its origin, or `nil` when the event carries nothing to map.
    public func extract(from tape: JSONTape, layout: EventLayout) -> Extracted? {
        guard tape.kind(tape.rootIndex) == .object else { return nil }
        let candidates = layout.groups
        // Which source fields' first names each group has: on the stack (a handful of groups), once per event.
        let found = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: candidates.count) { present in
            for (groupIndex, group) in candidates.enumerated() {
                present[groupIndex] = group.reduce(0) { $0 | leadingNames.present(in: tape, object: $1) }
            }
            return fieldText(in: tape, groups: candidates, present: UnsafeBufferPointer(present))
        }
        if let found { return found }
        guard synthesizes else { return nil }
        // An EventBridge envelope's `detail-type` ("AWS API Call via CloudTrail") names the stream, not the event:
        // the wrapped event's own sentence comes first, the envelope's only when the event has none.
        var envelope: Int?
        for group in candidates {
            for object in group {
                let kind = layout.kind(of: object, in: tape)
                if kind == .eventBridge, envelope == nil {
                    envelope = object
                } else if let found = synthesized(kind, tape: tape, object: object) {
                    return found
                }
            }
        }
        return envelope.flatMap { synthesized(.eventBridge, tape: tape, object: $0) }
    }

    /// The synthesised text of one object of a kind, cleaned; `nil` when there is none.
    private func synthesized(_ kind: EventKind, tape: JSONTape, object: Int) -> Extracted? {
        guard let raw = EventSynthesizer.text(for: kind, tape: tape, object: object),
            let text = TextCleaner.clean(raw, maxBytes: maxTextBytes)
        else {
            return nil
        }
        return Extracted(text: text, origin: .synthesized(kind))
    }

    /// The text of the first source field that holds prose, in the first group that has it.
    private func fieldText(in tape: JSONTape, groups: [[Int]], present: UnsafeBufferPointer<UInt64>) -> Extracted? {
        for (pathIndex, path) in sourceFields.enumerated() {
            for (groupIndex, group) in groups.enumerated() where present[groupIndex] & fieldMasks[pathIndex] != 0 {
                let texts = group.compactMap { Self.joinedText(of: path, in: tape, from: $0) }
                if let text = TextCleaner.clean(texts.joined(separator: ". "), maxBytes: maxTextBytes) {
                    return Extracted(text: text, origin: .field(path))
                }
            }
        }
        return nil
    }

    /// The objects fields are looked up in, as groups whose texts are joined (Security Hub findings).
    static func candidateObjects(in tape: JSONTape) -> [[Int]] {
        let root = tape.rootIndex
        var groups: [[Int]] = [[root]]
        if let detail = tape.value(forKey: "detail", in: root), tape.kind(detail) == .object {
            groups.append([detail])
            if let findings = tape.value(forKey: "findings", in: detail), tape.kind(findings) == .array {
                let objects = tape.children(findings).filter { tape.kind($0) == .object }
                if !objects.isEmpty { groups.append(objects) }
            }
        }
        if let envelope = tape.value(forKey: "event", in: root), tape.kind(envelope) == .object {
            groups.append([envelope])
        }
        return groups
    }

    /// The strings of every part of a path, joined; `nil` unless at least one part holds prose.
    static func joinedText(of path: FieldPath, in tape: JSONTape, from object: Int) -> String? {
        var pieces: [String] = []
        for part in path.dottedParts {
            tape.visit(path: part, from: object) { node in
                if tape.isNonBlankString(node), let string = tape.string(node), !pieces.contains(string) {
                    pieces.append(string)
                }
                return true
            }
        }
        return pieces.isEmpty ? nil : pieces.joined(separator: ". ")
    }
}
