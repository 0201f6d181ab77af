import Extraction
import JSONBytes
import ServiceSupport

/// Turns one input event into OCSF events: OCSF input passes through; raw CloudTrail, Security Hub (ASFF),
/// GuardDuty, Okta System Log, VPC flow, Kubernetes audit and Google Cloud audit records are converted
/// (EventBridge envelopes are opened); everything else has no mapping. Byte-level: the source is read on its
/// ``JSONTape`` and the OCSF event is written with ``JSONWriter``; members of the source that the mapping does not
/// use are kept in `unmapped`.
public struct OCSFConverter: Sendable {
    /// The OCSF version converted events declare.
    public static let ocsfVersion = "1.1.0"

    /// The result for one input event.
    public enum Conversion: Sendable {
        /// An OCSF event, and the OCSF attribute that holds its most descriptive text.
        case ocsf(JSONTape, textAttribute: String)
        /// No mapping exists for this input; the reason says why (e.g. `no_mapping.azure-activity`).
        case unmapped(reason: String)
    }

    /// Creates a converter.
    public init() {}

    /// Converts one event.
    /// - Parameter tape: the parsed input event.
    /// - Returns: one conversion per OCSF event (a Security Hub envelope may carry several findings).
    public func convert(_ tape: JSONTape) -> [Conversion] {
        let root = tape.rootIndex
        guard tape.kind(root) == .object else { return [.unmapped(reason: "no_mapping.not_an_object")] }
        var object = root
        var kind = EventKind.classify(tape, object: root)
        // An EventBridge envelope: the envelope names the family, its `detail` holds the event.
        if tape.value(forKey: "detail-type", in: root) != nil, let detail = tape.value(forKey: "detail", in: root),
            tape.kind(detail) == .object
        {
            object = detail
            if kind == .eventBridge { kind = EventKind.classify(tape, object: detail) }
        }
        let source = SourceEvent(tape: tape, object: object)
        switch kind {
        case .ocsf:
            guard object == root else { return Self.finish(source.ocsfCopy(), text: "message") }
            return [.ocsf(tape, textAttribute: "message")]
        case .cloudTrail:
            return Self.finish(cloudTrail(source), text: "api.operation")
        case .guardDuty:
            return Self.finish(guardDuty(source), text: "finding_info.title")
        case .securityHub:
            guard let findings = tape.value(forKey: "findings", in: object), tape.kind(findings) == .array else {
                return Self.finish(securityHub(source), text: "finding_info.title")
            }
            let converted = tape.children(findings).filter { tape.kind($0) == .object }.flatMap {
                Self.finish(securityHub(SourceEvent(tape: tape, object: $0)), text: "finding_info.title")
            }
            return converted.isEmpty ? [.unmapped(reason: "no_mapping.securityhub_empty")] : converted
        case .okta:
            guard let type = source.string("eventType"), Self.oktaClass(type) != nil else {
                return [.unmapped(reason: "no_mapping.okta_event_type")]
            }
            return Self.finish(okta(source), text: "message")
        case .vpcFlow:
            return Self.finish(vpcFlow(source), text: "message")
        case .kubernetesAudit:
            return Self.finish(kubernetesAudit(source), text: "api.operation")
        case .gcpAudit:
            return Self.finish(gcpAudit(source), text: "api.operation")
        default:
            return [.unmapped(reason: "no_mapping.\(kind.name)")]
        }
    }

    /// Parses a written event; the writer only produces valid JSON, so a failure is reported, never hidden.
    private static func finish(_ bytes: [UInt8]?, text: String) -> [Conversion] {
        guard let bytes else { return [.unmapped(reason: "no_mapping.incomplete_source")] }
        guard let tape = try? JSONTape(parsing: bytes) else { return [.unmapped(reason: "conversion_failed")] }
        return [.ocsf(tape, textAttribute: text)]
    }
}

/// The source object of a conversion, with path look-ups and the record of which members were used.
struct SourceEvent {
    let tape: JSONTape
    let object: Int

    /// The node at a dotted path below the object.
    func node(_ path: String) -> Int? {
        tape.value(atPath: path.split(separator: ".").map(String.init), from: object)
    }

    /// A string at a path (numbers as their text).
    func string(_ path: String) -> String? {
        guard let node = node(path) else { return nil }
        switch tape.kind(node) {
        case .string: return tape.string(node).flatMap { $0.isEmpty ? nil : $0 }
        case .number: return String(decoding: tape.rawBytes(node), as: UTF8.self)
        default: return nil
        }
    }

    /// An integer at a path (numbers, or strings of digits).
    func int(_ path: String) -> Int64? {
        guard let node = node(path) else { return nil }
        if let value = tape.int64(node) { return value }
        return tape.string(node).flatMap { Int64($0) }
    }

    /// A number at a path.
    func double(_ path: String) -> Double? {
        guard let node = node(path) else { return nil }
        return tape.double(node) ?? tape.string(node).flatMap { Double($0) }
    }

    /// A time at a path: RFC 3339 text, or epoch seconds or milliseconds.
    func time(_ path: String) -> Int64? {
        guard let node = node(path) else { return nil }
        if let number = tape.int64(node) { return UTCTime.epochMillis(secondsOrMillis: number) }
        return tape.string(node).flatMap(UTCTime.parseTimestamp)
    }

    /// The raw JSON of a path.
    func raw(_ path: String) -> ArraySlice<UInt8>? {
        node(path).map { tape.rawBytes($0) }
    }

    /// Writes `unmapped`: every member of the object whose name is not in `used`.
    func unmapped(except used: Set<String>, into writer: inout OCSFEventWriter) {
        var opened = false
        for (key, value) in tape.members(object) {
            guard let name = tape.string(key), !used.contains(name), tape.kind(value) != .null else { continue }
            if !opened {
                writer.open("unmapped")
                opened = true
            }
            writer.raw(name, tape.rawBytes(value))
        }
        if opened { writer.close() }
    }

    /// An OCSF event nested in an envelope, copied out as its own text.
    func ocsfCopy() -> [UInt8] { Array(tape.rawBytes(object)) }
}
