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
    /// `type`, Okta `eventType`, Kubernetes audit `verb` and `objectRef.resource[/subresource]` joined by a space.
    public var eventType: String?

    /// Creates metadata.
    public init(
        kind: EventKind,
        region: String? = nil,
        accountID: String? = nil,
        timeMillis: Int64? = nil,
        eventType: String? = nil
    ) {
        self.kind = kind
        self.region = region
        self.accountID = accountID
        self.timeMillis = timeMillis
        self.eventType = eventType
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
    /// lists, which cost a scan per missing name.
    static let pathsByKind: [EventKind: (region: [String], account: [String], time: [String])] = [
        .cloudTrail: (["awsRegion"], ["recipientAccountId", "userIdentity.accountId"], ["eventTime"]),
        .ocsf: (["cloud.region"], ["cloud.account.uid"], ["time", "finding_info.created_time"]),
        .securityHub: (["Region", "region"], ["AwsAccountId", "account"], ["UpdatedAt", "time", "CreatedAt"]),
        .guardDuty: (["region"], ["accountId", "account"], ["updatedAt", "time", "createdAt"]),
        .okta: ([], [], ["published"]),
        .kubernetesAudit: ([], [], ["requestReceivedTimestamp", "stageTimestamp"]),
        .azureActivity: (["location"], [], ["time"]),
    ]

    /// 2000-01-01 and 2100-01-01 in milliseconds: times outside are treated as absent.
    public static let plausibleTimes: Range<Int64> = 946_684_800_000..<4_102_444_800_000

    /// Reads the metadata of an event.
    /// - Parameter tape: the parsed event.
    /// - Returns: the kind and whatever region, account and time the event carries.
    public static func read(from tape: JSONTape) -> EventMetadata {
        let candidates = TextExtractor.candidateObjects(in: tape).compactMap(\.first)
        let root = tape.rootIndex
        var kind = tape.kind(root) == .object ? EventKind.classify(tape, object: root) : .raw
        if kind == .json || kind == .eventBridge, candidates.count > 1 {
            let inner = EventKind.classify(tape, object: candidates[1])
            if inner != .json { kind = inner }
        }
        var metadata = EventMetadata(kind: kind)
        if let paths = pathsByKind[kind] {
            for object in candidates {
                let fields = EventSynthesizer.Fields(tape: tape, object: object)
                if metadata.eventType == nil { metadata.eventType = eventType(kind, fields) }
                if metadata.region == nil { metadata.region = fields.first(paths.region) }
                if metadata.accountID == nil { metadata.accountID = fields.first(paths.account) }
                if metadata.timeMillis == nil { metadata.timeMillis = time(fields, paths: paths.time) }
            }
        }
        for object in candidates where metadata.region == nil || metadata.accountID == nil || metadata.timeMillis == nil
        {
            let fields = EventSynthesizer.Fields(tape: tape, object: object)
            if metadata.region == nil { metadata.region = fields.first(regionPaths) }
            if metadata.accountID == nil {
                metadata.accountID = fields.first(accountPaths) ?? azureSubscription(fields["resourceId"])
            }
            if metadata.timeMillis == nil { metadata.timeMillis = time(fields, paths: timePaths) }
        }
        return metadata
    }

    /// The type of an event of a family that has one (see ``eventType``).
    private static func eventType(_ kind: EventKind, _ fields: EventSynthesizer.Fields) -> String? {
        switch kind {
        case .cloudTrail: return fields["eventName"]
        case .guardDuty: return fields["type"]
        case .okta: return fields["eventType"]
        case .kubernetesAudit:
            guard let verb = fields["verb"], let resource = fields["objectRef.resource"] else { return nil }
            return fields["objectRef.subresource"].map { "\(verb) \(resource)/\($0)" } ?? "\(verb) \(resource)"
        default: return nil
        }
    }

    private static func time(_ fields: EventSynthesizer.Fields, paths: [String]) -> Int64? {
        for path in paths {
            guard let text = fields[path] else { continue }
            let millis: Int64?
            if let number = Int64(text) {
                millis = number < 100_000_000_000 ? number * 1_000 : number
            } else if let number = Double(text), number.isFinite, abs(number) < 1e15 {
                millis = Int64(number < 1e11 ? number * 1_000 : number)
            } else {
                millis = UTCTime.parseTimestamp(text)
            }
            if let millis, plausibleTimes.contains(millis) { return millis }
        }
        return nil
    }

    private static func azureSubscription(_ resourceID: String?) -> String? {
        guard let resourceID else { return nil }
        let parts = resourceID.split(separator: "/")
        guard let index = parts.firstIndex(where: { $0.lowercased() == "subscriptions" }), index + 1 < parts.count
        else { return nil }
        return String(parts[index + 1])
    }
}
