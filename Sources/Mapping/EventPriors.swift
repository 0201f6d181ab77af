/// Controls known per event type (`event_priors.tsv`): CloudTrail event names, GuardDuty finding types,
/// Okta event types, Kubernetes verb + resource pairs, Google Cloud audit method names and Azure operation names.
///
/// Format (written by `scripts/build_event_priors.py`): header lines `#lakemark-event-priors<TAB>1` and
/// `#beta<TAB>catalog=b<TAB>...`, then records `source<TAB>type<TAB>catalog<TAB>id<TAB>weight<TAB>via` with the
/// type lower-cased and weights in 0...1. When a text is mapped with a type (from a hint or named in the text),
/// each control of the type gains `beta * weight` on its fused score and is ranked even when the text does not
/// match it lexically. A type written `<type> failed` holds the controls of that type's failed events
/// (``withFailures(_:failed:in:)``). The file is optional: without it nothing is added.
struct EventPriors: Sendable {
    /// Name of the event priors file in the catalog directory.
    static let fileName = "event_priors.tsv"

    /// One control of an event type, already multiplied by the catalogue's beta.
    typealias Entry = (index: Int32, value: Float)

    /// Per type key (``key(source:type:)``) and catalogue name, the controls of that type.
    let entries: [String: [String: [Entry]]]
    /// The lower-cased types per source, for recognising them in hints and text (without the failure rows).
    let typeTables: [String: EventTypeTable]
    /// Per type key, the key of its row for failed events (`<type> failed`), for the types that have one.
    let failureKeys: [String: String]

    /// No event priors.
    init() {
        entries = [:]
        typeTables = [:]
        failureKeys = [:]
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
                guard !fields.allSatisfy({ $0.isEmpty }) else { return }
                guard fields.count == 6,
                    let weight = EventPriors.weight(UnsafeBufferPointer(rebasing: buffer[fields[4]])),
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
                    TabFile.equal(buffer, $0.source, fields[0]) && TabFile.equal(buffer, $0.type, fields[1])
                } ?? false
                if !sameGroup {
                    flush()
                    let source = text(fields[0])
                    let type = text(fields[1]).lowercased()
                    if !type.hasSuffix(EventPriors.failureSuffix) {
                        types[source, default: []].insert(type)
                    }
                    group = (fields[0], fields[1], EventPriors.key(source: source, type: type), [:])
                }
                let catalogName = UnsafeBufferPointer(rebasing: buffer[fields[2]])
                guard let catalog = catalogs.first(where: { $0.bytes.elementsEqual(catalogName) }),
                    let index = catalog.positions[text(fields[3])]
                else { return }
                group?.rows[catalog.name, default: []].append((Int32(index), catalog.beta * weight))
            }
        }
        if let failure { throw failure }
        flush()
        self.entries = entries
        self.failureKeys = entries.keys.reduce(into: [:]) { keys, key in
            if key.hasSuffix(EventPriors.failureSuffix) {
                keys[String(key.dropLast(EventPriors.failureSuffix.count))] = key
            }
        }
        self.typeTables = types.reduce(into: [:]) { tables, types in
            tables[types.key] = EventTypeTable(source: types.key, types: types.value.sorted())
        }
    }

    /// Whether a byte is an ASCII digit.
    private static func isASCIIDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    /// A row's weight: the builder writes `d.ddd`, read without making a string; anything else goes through `Float`.
    static func weight(_ bytes: UnsafeBufferPointer<UInt8>) -> Float? {
        guard bytes.count == 5, isASCIIDigit(bytes[0]), bytes[1] == UInt8(ascii: "."),
            bytes[2...].allSatisfy(isASCIIDigit)
        else {
            return Float(String(decoding: bytes, as: UTF8.self))
        }
        let thousandths = bytes.reduce(0) { $1 == UInt8(ascii: ".") ? $0 : $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return Float(thousandths) / 1000
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
        guard let table = typeTables[hint.source] else {
            return nil
        }
        var type = hint.type
        return type.withUTF8 { table.key(of: $0) }
    }

    /// The types a row may be written as for one event type, most specific first: the type itself and, for
    /// GuardDuty and Okta, its prefixes (`Recon:EC2/Portscan.B` -> `recon:ec2/portscan`, `recon:ec2`, `recon`);
    /// Kubernetes `verb resource` also as `* resource`; CloudTrail names without Lambda's date suffix; a Google Cloud
    /// method without its version segments and then its shorter endings (`v1.compute.firewalls.insert` ->
    /// `compute.firewalls.insert`, `firewalls.insert`, `insert`); an Azure operation and its prefixes cut before a
    /// slash (`microsoft.network/networksecuritygroups/securityrules/write`, ..., `microsoft.network`).
    /// - Parameters:
    ///   - source: The event family.
    ///   - type: The event type as the event spells it.
    /// - Returns: Lower-cased candidates.
    static func candidates(source: String, type: String) -> [String] {
        var lowered = type.lowercased()
        // Outside ASCII, a separator followed by a combining mark is one character and no cut point.
        if !lowered.utf8.allSatisfy({ $0 < 0x80 }) {
            switch source {
            case "guardduty":
                return prefixes(lowered, separators: ["!", ".", "/", ":"])
            case "okta":
                return prefixes(lowered, separators: ["."])
            case "k8s-audit":
                let parts = lowered.split(separator: " ", maxSplits: 1)
                return parts.count == 2 ? [lowered, "* " + parts[1]] : [lowered]
            default:
                break
            }
        }
        var out: [String] = []
        lowered.withUTF8 { lowered in
            forEachCandidate(source: source, lowercased: lowered) { candidate in
                out.append(String(decoding: candidate, as: UTF8.self))
                return true
            }
        }
        return out
    }

    /// The string and its prefixes cut before each separator character, longest first.
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

    /// Calls `body` with each of ``candidates(source:type:)`` of a lower-cased ASCII type (or one whose source
    /// cuts no prefixes), as bytes, until it returns false.
    /// - Parameters:
    ///   - source: The event family.
    ///   - type: The lower-cased event type.
    ///   - body: Called with each candidate; returns whether to go on.
    static func forEachCandidate(
        source: String,
        lowercased type: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>) -> Bool
    ) {
        switch source {
        case "guardduty":
            forEachPrefix(type, cutBefore: { $0 == 0x21 || $0 == 0x2E || $0 == 0x2F || $0 == 0x3A }, body)
        case "okta":
            forEachPrefix(type, cutBefore: { $0 == UInt8(ascii: ".") }, body)
        case "k8s-audit":
            guard body(type) else {
                return
            }
            let parts = type.split(separator: UInt8(ascii: " "), maxSplits: 1)
            if parts.count == 2 {
                let anyVerb = Array("* ".utf8) + parts[1]
                _ = anyVerb.withUnsafeBufferPointer(body)
            }
        case "cloudtrail":
            _ = body(UnsafeBufferPointer(rebasing: type[..<withoutVersionSuffix(type)]))
        case "gcp-audit":
            withoutVersionSegments(type).withUnsafeBufferPointer { method in
                var start = 0
                while body(UnsafeBufferPointer(rebasing: method[start...])),
                    let dot = method[start...].firstIndex(of: UInt8(ascii: ".")), dot + 1 < method.count
                {
                    start = dot + 1
                }
            }
        case "azure-activity":
            forEachPrefix(type, cutBefore: { $0 == UInt8(ascii: "/") }, body)
        default:
            _ = body(type)
        }
    }

    /// Calls `body` with the bytes and their prefixes cut before each separator, longest first (empty ones
    /// end the list), until it returns false.
    private static func forEachPrefix(
        _ type: UnsafeBufferPointer<UInt8>,
        cutBefore isSeparator: (UInt8) -> Bool,
        _ body: (UnsafeBufferPointer<UInt8>) -> Bool
    ) {
        var end = type.count
        while body(UnsafeBufferPointer(rebasing: type[..<end])) {
            guard let cut = type[..<end].lastIndex(where: isSeparator), cut > 0 else {
                return
            }
            end = cut
        }
    }

    /// A lower-cased Google Cloud method name without its API version segments (`v1`, `v2beta1`, `v1alpha`, `beta`,
    /// `alpha`): `google.iam.admin.v1.createserviceaccountkey` -> `google.iam.admin.createserviceaccountkey`. A name
    /// that is nothing but versions stays as it is.
    static func withoutVersionSegments(_ method: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let segments = method.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        let kept = segments.filter { !isVersionSegment($0) }
        guard !kept.isEmpty, kept.count < segments.count else {
            return Array(method)
        }
        return Array(kept.joined(separator: [UInt8(ascii: ".")]))
    }

    /// Whether a lower-cased segment names an API version: `alpha`, `beta`, or `v` and digits, optionally `p` and
    /// digits (`v1p1beta1`), optionally `alpha` or `beta` and more digits.
    private static func isVersionSegment(_ segment: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        if segment.elementsEqual("alpha".utf8) || segment.elementsEqual("beta".utf8) {
            return true
        }
        guard segment.first == UInt8(ascii: "v") else {
            return false
        }
        let rest = segment.dropFirst()
        let digits = rest.prefix(while: isASCIIDigit)
        guard !digits.isEmpty else {
            return false
        }
        var tail = rest.dropFirst(digits.count)
        if tail.first == UInt8(ascii: "p"), tail.dropFirst().first.map(isASCIIDigit) == true {
            tail = tail.dropFirst().drop(while: isASCIIDigit)
        }
        let stage = tail.prefix(while: { !isASCIIDigit($0) })
        guard stage.isEmpty || stage.elementsEqual("alpha".utf8) || stage.elementsEqual("beta".utf8) else {
            return false
        }
        return tail.dropFirst(stage.count).allSatisfy(isASCIIDigit)
    }

    /// The end of a lower-cased name without Lambda's version date (`updatefunctioncode20150331v2` ->
    /// `updatefunctioncode`): a trailing `v` and digits, then exactly eight digits, are cut; else nothing is.
    private static func withoutVersionSuffix(_ name: UnsafeBufferPointer<UInt8>) -> Int {
        var end = name.count
        if let v = name.lastIndex(of: UInt8(ascii: "v")), v + 1 < name.count,
            name[(v + 1)...].allSatisfy(isASCIIDigit)
        {
            end = v
        }
        var digits = 0
        while digits < end, isASCIIDigit(name[end - 1 - digits]) {
            digits += 1
        }
        return digits == 8 && end > 8 ? end - 8 : name.count
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
