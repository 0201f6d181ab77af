import JSONBytes
import ServiceSupport

/// Validates an OCSF event against its pinned class schema and shreds it into column values.
///
/// Checks: required attributes present (in every object that is present), JSON types, enum ids, `category_uid`
/// and `type_uid` consistent with the class, `metadata.version` shaped like an OCSF version. Members the schema
/// does not keep (outside the class, or below the depth cut) are collected into `unmapped` as one JSON object
/// keyed by their path (`resources[0].data_x`); an `unmapped` object the event already has is kept, member by
/// member. Strings also accept numbers (their JSON text); `datetime` attributes accept RFC 3339 text or epoch
/// milliseconds.
public struct OCSFShredder: Sendable {
    /// The class schema.
    public let schema: OCSFClassSchema
    private let root: CompiledGroup

    /// Creates a shredder for one class.
    /// - Parameter schema: the class schema.
    public init(schema: OCSFClassSchema) {
        self.schema = schema
        self.root = CompiledGroup(schema.columns)
    }

    /// Validates and shreds one event.
    /// - Parameters:
    ///   - tape: the OCSF event (a JSON object).
    ///   - enrichment: the compliance mapping to add, or `nil`.
    /// - Returns: the record.
    /// - Throws: ``OCSFError`` naming the first attribute that fails validation.
    public func shred(_ tape: JSONTape, enrichment: OCSFEnrichment?) throws(OCSFError) -> OCSFRecord {
        let object = tape.rootIndex
        guard tape.kind(object) == .object else { throw OCSFError(.wrongType, path: "", "the event is not an object") }
        var unmapped = UnmappedCollector()
        if let existing = tape.value(forKey: "unmapped", in: object), tape.kind(existing) == .object {
            for (key, value) in tape.members(existing) {
                unmapped.add(key: tape.string(key) ?? "", raw: tape.rawBytes(value))
            }
        }
        var values = try shredGroup(tape, object: object, group: root, path: "", unmapped: &unmapped, top: true)
        try checkClassification(values)
        if let enrichment { apply(enrichment, to: &values) }
        if let position = schema.columnPosition("unmapped"), let json = unmapped.json() {
            values[position] = .bytes(json)
        }
        guard let timePosition = schema.columnPosition("time"), case .int64(var time) = values[timePosition] else {
            throw OCSFError(.missingRequired, path: "time", "time (epoch milliseconds) is required")
        }
        // OCSF times are milliseconds, but some producers (Prowler's OCSF output among them) write seconds: a time
        // before 1973 as milliseconds is read as seconds, so that the row and its eventDay name the right day.
        if time >= 0, UTCTime.epochMillis(secondsOrMillis: time) != time {
            time = UTCTime.epochMillis(secondsOrMillis: time)
            values[timePosition] = .int64(time)
        }
        guard UTCTime.plausibleEventMillis.contains(time) else {
            throw OCSFError(.implausibleTime, path: "time", "time \(time) is not an epoch time between 2000 and 2100")
        }
        return OCSFRecord(
            classUID: schema.classUID,
            timeMillis: time,
            region: stringValue(values, ["cloud", "region"]),
            accountID: stringValue(values, ["cloud", "account", "uid"]),
            values: values
        )
    }

    private func shredGroup(
        _ tape: JSONTape,
        object: Int,
        group: CompiledGroup,
        path: String,
        unmapped: inout UnmappedCollector,
        top: Bool
    ) throws(OCSFError) -> [OCSFValue] {
        var values = [OCSFValue](repeating: .null, count: group.attributes.count)
        for (keyNode, valueNode) in tape.members(object) {
            let key = tape.string(keyNode) ?? ""
            if top && key == "unmapped" { continue }
            let memberPath = path.isEmpty ? key : path + "." + key
            guard let position = group.index[key], !(top && group.isReservedExtra(position)) else {
                if tape.kind(valueNode) != .null { unmapped.add(key: memberPath, raw: tape.rawBytes(valueNode)) }
                continue
            }
            values[position] = try shredValue(
                tape,
                node: valueNode,
                attribute: group.attributes[position],
                child: group.children[position],
                path: memberPath,
                unmapped: &unmapped
            )
        }
        for (position, attribute) in group.attributes.enumerated()
        where attribute.requirement == .required && values[position] == .null {
            if top && group.isReservedExtra(position) { continue }
            let memberPath = path.isEmpty ? attribute.name : path + "." + attribute.name
            throw OCSFError(.missingRequired, path: memberPath, "required attribute missing or null")
        }
        return values
    }

    private func shredValue(
        _ tape: JSONTape,
        node: Int,
        attribute: OCSFAttribute,
        child: CompiledGroup?,
        path: String,
        unmapped: inout UnmappedCollector
    ) throws(OCSFError) -> OCSFValue {
        if tape.kind(node) == .null { return .null }
        guard attribute.isArray else {
            return try shredElement(
                tape,
                node: node,
                attribute: attribute,
                child: child,
                path: path,
                unmapped: &unmapped
            )
        }
        guard tape.kind(node) == .array else { throw OCSFError(.wrongType, path: path, "expected an array") }
        var elements: [OCSFValue] = []
        elements.reserveCapacity(tape.count(node))
        for (index, element) in tape.children(node).enumerated() {
            elements.append(
                try shredElement(
                    tape,
                    node: element,
                    attribute: attribute,
                    child: child,
                    path: "\(path)[\(index)]",
                    unmapped: &unmapped
                )
            )
        }
        return .list(elements)
    }

    private func shredElement(
        _ tape: JSONTape,
        node: Int,
        attribute: OCSFAttribute,
        child: CompiledGroup?,
        path: String,
        unmapped: inout UnmappedCollector
    ) throws(OCSFError) -> OCSFValue {
        let kind = tape.kind(node)
        if kind == .null { return .null }
        switch attribute.kind {
        case .group:
            guard kind == .object, let child else { throw OCSFError(.wrongType, path: path, "expected an object") }
            return .group(try shredGroup(tape, object: node, group: child, path: path, unmapped: &unmapped, top: false))
        case .scalar(let type):
            return try scalar(tape, node: node, type: type, enumValues: attribute.enumValues, path: path)
        }
    }

    private func scalar(
        _ tape: JSONTape,
        node: Int,
        type: OCSFColumnType,
        enumValues: Set<Int64>,
        path: String
    ) throws(OCSFError) -> OCSFValue {
        let kind = tape.kind(node)
        switch type {
        case .bool:
            if kind == .true { return .bool(true) }
            if kind == .false { return .bool(false) }
            throw OCSFError(.wrongType, path: path, "expected a Boolean")
        case .int32:
            guard let value = tape.int64(node), let narrow = Int32(exactly: value) else {
                throw OCSFError(.wrongType, path: path, "expected a 32-bit integer")
            }
            if !enumValues.isEmpty && !enumValues.contains(value) {
                throw OCSFError(.unknownEnumValue, path: path, "\(value) is not defined by the class")
            }
            return .int32(narrow)
        case .int64:
            guard let value = tape.int64(node) else { throw OCSFError(.wrongType, path: path, "expected an integer") }
            return .int64(value)
        case .double:
            guard let value = tape.double(node) else { throw OCSFError(.wrongType, path: path, "expected a number") }
            return .double(value)
        case .string:
            if kind == .string, let bytes = tape.stringBytes(node) { return .bytes(bytes) }
            if kind == .number { return .bytes(Array(tape.rawBytes(node))) }
            throw OCSFError(.wrongType, path: path, "expected a string")
        case .json:
            return .bytes(Array(tape.rawBytes(node)))
        case .timestamp:
            if let millis = tape.int64(node) { return .int64(millis) }
            if let text = tape.string(node), let millis = UTCTime.parseTimestamp(text) { return .int64(millis) }
            throw OCSFError(.wrongType, path: path, "expected an RFC 3339 time or epoch milliseconds")
        }
    }

    /// `category_uid` and `type_uid` against the class; `metadata.version` against the OCSF version grammar.
    private func checkClassification(_ values: [OCSFValue]) throws(OCSFError) {
        func int(_ name: String) -> Int64? {
            guard let position = schema.columnPosition(name) else { return nil }
            switch values[position] {
            case .int32(let value): return Int64(value)
            case .int64(let value): return value
            default: return nil
            }
        }
        let classUID = Int64(schema.classUID)
        guard int("class_uid") == classUID else {
            throw OCSFError(.inconsistentIDs, path: "class_uid", "expected \(classUID)")
        }
        guard int("category_uid") == Int64(schema.categoryUID) else {
            throw OCSFError(.inconsistentIDs, path: "category_uid", "expected \(schema.categoryUID) for \(classUID)")
        }
        if let activity = int("activity_id"), int("type_uid") != classUID * 100 + activity {
            throw OCSFError(.inconsistentIDs, path: "type_uid", "expected \(classUID * 100 + activity)")
        }
        guard let version = stringValue(values, ["metadata", "version"]), Self.isOCSFVersion(version) else {
            throw OCSFError(.badVersion, path: "metadata.version", "expected x.y.z, x.y.z-dev or x.y.z-rc.N")
        }
    }

    /// Whether a text matches `^\d+\.\d+\.\d+(-dev|-rc\.\d+)?$`.
    /// - Parameter text: the version text.
    /// - Returns: `true` for an OCSF version.
    public static func isOCSFVersion(_ text: String) -> Bool {
        var rest = Substring(text)
        var suffix: Substring = ""
        if let dash = rest.firstIndex(of: "-") {
            suffix = rest[rest.index(after: dash)...]
            rest = rest[..<dash]
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        let digits = { (part: Substring) in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
        guard parts.count == 3, parts.allSatisfy(digits) else { return false }
        if suffix.isEmpty { return !text.hasSuffix("-") }
        if suffix == "dev" { return true }
        guard suffix.hasPrefix("rc.") else { return false }
        return digits(suffix.dropFirst(3))
    }

    private func apply(_ enrichment: OCSFEnrichment, to values: inout [OCSFValue]) {
        if let position = schema.columnPosition(OCSFClassSchema.descriptionColumn) {
            values[position] = .bytes(Array(enrichment.text.utf8))
        }
        guard !enrichment.matches.isEmpty else { return }
        if let position = schema.columnPosition(OCSFClassSchema.complianceColumn) {
            values[position] = .list(
                enrichment.matches.map {
                    .group([
                        .bytes(Array($0.frameworkID.utf8)), .bytes(Array($0.controlID.utf8)),
                        .bytes(Array($0.family.utf8)), .double($0.similarity), .bytes(Array($0.confidence.utf8)),
                    ])
                }
            )
        }
        guard let position = schema.columnPosition("enrichments") else { return }
        let attributes = schema.columns[position].children
        let element = OCSFValue.group(
            attributes.map { attribute -> OCSFValue in
                switch attribute.name {
                case "name": return .bytes(Array(enrichment.attribute.utf8))
                case "value": return .bytes(Array(enrichment.text.utf8))
                case "data": return .bytes(enrichment.matchesJSON)
                case "provider": return .bytes(Array(OCSFEnrichment.provider.utf8))
                case "type": return .bytes(Array(OCSFEnrichment.type.utf8))
                default: return .null
                }
            }
        )
        if case .list(let existing) = values[position] {
            values[position] = .list(existing + [element])
        } else {
            values[position] = .list([element])
        }
    }

    private func stringValue(_ values: [OCSFValue], _ path: [String]) -> String? {
        var level = schema.columns
        var current = values
        for (depth, name) in path.enumerated() {
            guard let position = level.firstIndex(where: { $0.name == name }) else { return nil }
            let value = current[position]
            if depth == path.count - 1 {
                if case .bytes(let bytes) = value { return String(decoding: bytes, as: UTF8.self) }
                return nil
            }
            guard case .group(let inner) = value else { return nil }
            level = level[position].children
            current = inner
        }
        return nil
    }
}

/// A group of attributes with a name index, built once per class.
private struct CompiledGroup: Sendable {
    let attributes: [OCSFAttribute]
    let index: [String: Int]
    let children: [CompiledGroup?]
    let extras: Set<Int>

    init(_ attributes: [OCSFAttribute]) {
        self.attributes = attributes
        var index: [String: Int] = [:]
        var extras: Set<Int> = []
        let reserved = Set(OCSFClassSchema.extraColumns.map(\.name))
        for (position, attribute) in attributes.enumerated() {
            index[attribute.name] = position
            if reserved.contains(attribute.name) { extras.insert(position) }
        }
        self.index = index
        self.extras = extras
        self.children = attributes.map { attribute in
            if case .group(let nested) = attribute.kind { return CompiledGroup(nested) }
            return nil
        }
    }

    /// Whether a top-level position is one of the service's own columns (never taken from the event).
    func isReservedExtra(_ position: Int) -> Bool { extras.contains(position) }
}

/// Members outside the schema, written as one JSON object.
private struct UnmappedCollector {
    private var writer = JSONWriter(capacity: 64)
    private var count = 0

    mutating func add(key: String, raw: ArraySlice<UInt8>) {
        writer.appendRaw(count == 0 ? "{" : ",")
        writer.appendString(key)
        writer.appendRaw(":")
        writer.appendRaw(raw)
        count += 1
    }

    func json() -> [UInt8]? {
        guard count > 0 else { return nil }
        return writer.bytes + [UInt8(ascii: "}")]
    }
}
