import JSONBytes
import ServiceSupport

/// What an event says about where and when it happened: the partition fields of its object key.
public struct EventMetadata: Sendable, Hashable {
    /// The event's family.
    public var kind: EventKind
    /// Cloud region, e.g. `us-east-1`, when the event names one.
    public var region: String?
    /// Cloud account (AWS account id, GCP project, Azure subscription), when the event names one.
    public var accountID: String?
    /// Event time in milliseconds since the epoch (UTC), when the event carries a plausible one.
    public var timeMillis: Int64?
    /// The event's type within its family, when the family has one: CloudTrail `eventName`, GuardDuty finding
    /// `type`, Okta `eventType`, Kubernetes audit `verb` and `objectRef.resource[/subresource]` joined by a space,
    /// Google Cloud audit `protoPayload.methodName`, Azure `operationName`.
    public var eventType: String?
    /// Whether the event reports that its action failed (``EventOutcome``): `nil` when its family keeps no outcome
    /// or the event states none.
    public var failed: Bool?

    /// Creates metadata.
    public init(
        kind: EventKind,
        region: String? = nil,
        accountID: String? = nil,
        timeMillis: Int64? = nil,
        eventType: String? = nil,
        failed: Bool? = nil
    ) {
        self.kind = kind
        self.region = region
        self.accountID = accountID
        self.timeMillis = timeMillis
        self.eventType = eventType
        self.failed = failed
    }

    /// Where events keep their region, most specific first.
    static let regionPaths = ["cloud.region", "awsRegion", "region", "Region", "Resources.Region", "location"]
    /// Where events keep their account.
    static let accountPaths = [
        "cloud.account.uid", "recipientAccountId", "account", "AwsAccountId", "accountId", "account_id",
        "userIdentity.accountId", "resource.labels.project_id",
    ]
    /// Where events keep their time (strings or epoch seconds or milliseconds).
    static let timePaths = [
        "time", "eventTime", "finding_info.created_time", "UpdatedAt", "updatedAt", "CreatedAt", "createdAt",
        "published", "timestamp", "requestReceivedTimestamp", "start", "p_event_time",
    ]
    /// Where the families that have one fixed layout keep region, account and time; tried before the generic
    /// lists, which cost a scan per missing name (CloudTrail records: ``readCloudTrail(_:into:)``, one pass).
    static func knownPaths(of kind: EventKind) -> (region: [String], account: [String], time: [String])? {
        switch kind {
        case .ocsf: (["cloud.region"], ["cloud.account.uid"], ["time", "finding_info.created_time"])
        case .securityHub: (["Region", "region"], ["AwsAccountId", "account"], ["UpdatedAt", "time", "CreatedAt"])
        case .guardDuty: (["region"], ["accountId", "account"], ["updatedAt", "time", "createdAt"])
        case .okta: ([], [], ["published"])
        case .kubernetesAudit: ([], [], ["requestReceivedTimestamp", "stageTimestamp"])
        case .azureActivity: (["location"], [], ["time", "eventTimestamp"])
        default: nil
        }
    }

    /// 2000-01-01 and 2100-01-01 in milliseconds: times outside are treated as absent.
    public static let plausibleTimes = UTCTime.plausibleEventMillis

    /// Reads the metadata of an event.
    /// - Parameter tape: the parsed event.
    /// - Returns: the kind and whatever region, account and time the event carries.
    public static func read(from tape: JSONTape) -> EventMetadata {
        read(from: tape, layout: EventLayout(tape))
    }

    /// Reads the metadata of an event whose layout is known.
    /// - Parameters:
    ///   - tape: the parsed event.
    ///   - layout: the event's layout, ``EventLayout/init(_:)`` of the same tape.
    /// - Returns: the kind and whatever region, account and time the event carries.
    public static func read(from tape: JSONTape, layout: EventLayout) -> EventMetadata {
        let candidates = layout.groups.lazy.compactMap { $0.first }
        var kind = layout.rootKind
        if let inner = layout.innerKind, inner != .json { kind = inner }
        var metadata = EventMetadata(kind: kind)
        let known = knownPaths(of: kind)
        for object in candidates {
            let fields = EventSynthesizer.Fields(tape: tape, object: object)
            if kind == .cloudTrail {
                readCloudTrail(fields, into: &metadata)
                continue
            }
            if metadata.eventType == nil, let type = eventType(kind, fields) {
                metadata.eventType = type
                metadata.failed = EventOutcome.failed(kind, fields)
            }
            guard let paths = known else { continue }
            if metadata.region == nil { metadata.region = fields.first(paths.region) }
            if metadata.accountID == nil { metadata.accountID = fields.first(paths.account) }
            if metadata.timeMillis == nil { metadata.timeMillis = time(fields, paths: paths.time) }
        }
        for object in candidates where metadata.region == nil || metadata.accountID == nil || metadata.timeMillis == nil
        {
            let fields = EventSynthesizer.Fields(tape: tape, object: object)
            // One pass over the members tells which generic paths can match; the others are not looked up.
            let present = genericLeadingNames.present(in: tape, object: object)
            if metadata.region == nil { metadata.region = first(fields, regionPaths, regionMasks, present) }
            if metadata.accountID == nil {
                metadata.accountID = first(fields, accountPaths, accountMasks, present)
                    ?? (present & resourceIDMask != 0 ? azureSubscription(fields["resourceId"]) : nil)
            }
            if metadata.timeMillis == nil {
                metadata.timeMillis = time(fields, paths: timePaths, masks: timeMasks, present: present)
            }
        }
        return metadata
    }

    /// The type of an event of a family that has one (see ``eventType``).
    private static func eventType(_ kind: EventKind, _ fields: EventSynthesizer.Fields) -> String? {
        switch kind {
        case .cloudTrail: return fields["eventName"]
        case .guardDuty: return fields["type"]
        case .okta: return fields["eventType"]
        case .gcpAudit: return fields["protoPayload.methodName"]
        case .azureActivity: return EventSynthesizer.azureOperation(fields)
        case .kubernetesAudit:
            guard let verb = fields["verb"], let resource = fields["objectRef.resource"] else { return nil }
            return fields["objectRef.subresource"].map { "\(verb) \(resource)/\($0)" } ?? "\(verb) \(resource)"
        default: return nil
        }
    }

    /// The first names of the generic paths (and of `resourceId`).
    static let genericLeadingNames = MemberNameSet(
        (regionPaths + accountPaths + timePaths + ["resourceId"]).map(leadingName)
    )
    /// Per path of ``regionPaths``, the bit of its first name.
    static let regionMasks = regionPaths.map { genericLeadingNames.bit(for: leadingName($0)) }
    /// Per path of ``accountPaths``, the bit of its first name.
    static let accountMasks = accountPaths.map { genericLeadingNames.bit(for: leadingName($0)) }
    /// Per path of ``timePaths``, the bit of its first name.
    static let timeMasks = timePaths.map { genericLeadingNames.bit(for: leadingName($0)) }
    /// The bit of `resourceId`.
    static let resourceIDMask = genericLeadingNames.bit(for: "resourceId")

    /// The first member name of a dotted path.
    private static func leadingName(_ path: String) -> String {
        String(path.prefix { $0 != "." })
    }

    /// The first value of the paths whose first name is present.
    private static func first(
        _ fields: EventSynthesizer.Fields,
        _ paths: [String],
        _ masks: [UInt64],
        _ present: UInt64
    ) -> String? {
        for (path, mask) in zip(paths, masks) where present & mask != 0 {
            if let value = fields[path] { return value }
        }
        return nil
    }

    private static func time(
        _ fields: EventSynthesizer.Fields,
        paths: [String],
        masks: [UInt64]? = nil,
        present: UInt64 = MemberNameSet.all
    ) -> Int64? {
        for (index, path) in paths.enumerated() where present & (masks?[index] ?? MemberNameSet.all) != 0 {
            if let node = fields.node(path), let millis = time(fields, node: node) { return millis }
        }
        return nil
    }

    /// The plausible time a scalar node (``EventSynthesizer/Fields/node(_:)``) holds, if any.
    static func time(_ fields: EventSynthesizer.Fields, node: Int) -> Int64? {
        // A timestamp text is never a number, so the cheap timestamp parse goes first; on the string's bytes when it
        // has no escapes, so that most times make no string.
        let millis = timestamp(fields.tape, node) ?? fields.text(of: node).flatMap(epochMillis)
        return millis.flatMap { plausibleTimes.contains($0) ? $0 : nil }
    }

    /// Epoch seconds or milliseconds (a whole or decimal number; below 10^11 it counts as seconds).
    private static func epochMillis(_ text: String) -> Int64? {
        if let number = Int64(text) { return UTCTime.epochMillis(secondsOrMillis: number) }
        guard let number = Double(text), number.isFinite, abs(number) < 1e15 else { return nil }
        return Int64(number < 1e11 ? number * 1_000 : number)
    }

    /// A string node read as an RFC 3339 timestamp (``UTCTime/parseTimestamp(_:)-(UnsafeRawBufferPointer)``).
    private static func timestamp(_ tape: JSONTape, _ node: Int) -> Int64? {
        guard tape.kind(node) == .string else { return nil }
        guard !tape.hasEscapes(node) else { return tape.string(node).flatMap(UTCTime.parseTimestamp) }
        let range = tape.byteRange(node)
        return tape.source.withUnsafeBytes {
            UTCTime.parseTimestamp(UnsafeRawBufferPointer(rebasing: $0[range.lowerBound + 1..<range.upperBound - 1]))
        }
    }

    private static func azureSubscription(_ resourceID: String?) -> String? {
        guard let resourceID else { return nil }
        var bytes = resourceID
        if let subscription = bytes.withUTF8(asciiSubscription) { return subscription }
        let parts = resourceID.split(separator: "/")
        guard let index = parts.firstIndex(where: { $0.lowercased() == "subscriptions" }), index + 1 < parts.count
        else { return nil }
        return String(parts[index + 1])
    }

    /// ``azureSubscription(_:)`` of an ASCII resource id, over its bytes (a `/` of ASCII text is always a
    /// character of its own, and only ASCII letters fold to `subscriptions`): `nil` when the id is not ASCII (the
    /// caller then splits its characters), `.some(nil)` when it names no subscription.
    private static func asciiSubscription(_ bytes: UnsafeBufferPointer<UInt8>) -> String?? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        let parts = bytes.split(separator: UInt8(ascii: "/"))
        let wanted = Array("subscriptions".utf8)
        guard
            let index = parts.firstIndex(where: { part in
                part.count == wanted.count
                    && zip(part, wanted).allSatisfy { $0 == $1 || ($0 &- UInt8(ascii: "A") < 26 && $0 | 0x20 == $1) }
            }),
            index + 1 < parts.count
        else { return .some(nil) }
        return .some(String(decoding: parts[index + 1], as: UTF8.self))
    }
}
