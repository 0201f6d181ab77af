import JSONBytes

/// The family an event belongs to, recognised from its shape; used for synthesised text and the
/// `<source>` segment of object keys.
public struct EventKind: Sendable, Hashable, CustomStringConvertible {
    /// The stable name, also the default `<source>` path segment.
    public let name: String

    /// An OCSF event (`class_uid` present).
    public static let ocsf = EventKind(name: "ocsf")
    /// An AWS CloudTrail record.
    public static let cloudTrail = EventKind(name: "cloudtrail")
    /// An Amazon GuardDuty finding (raw or through EventBridge).
    public static let guardDuty = EventKind(name: "guardduty")
    /// An AWS Security Hub finding in ASFF (raw or through EventBridge).
    public static let securityHub = EventKind(name: "securityhub")
    /// An Okta System Log event.
    public static let okta = EventKind(name: "okta")
    /// A Google Cloud audit log entry.
    public static let gcpAudit = EventKind(name: "gcp-audit")
    /// An Azure activity or Entra audit record.
    public static let azureActivity = EventKind(name: "azure-activity")
    /// A Kubernetes audit event (EKS included).
    public static let kubernetesAudit = EventKind(name: "k8s-audit")
    /// A VPC flow log record.
    public static let vpcFlow = EventKind(name: "vpc-flow")
    /// Another EventBridge event.
    public static let eventBridge = EventKind(name: "eventbridge")
    /// A record kept inside a wrapper because it was not a JSON object.
    public static let raw = EventKind(name: "raw")
    /// Any other JSON object.
    public static let json = EventKind(name: "json")

    /// The kind's name.
    public var description: String { name }

    /// Recognises the kind of an object from the members that characterise each family (names matched
    /// ignoring ASCII case, in one pass over the members).
    /// - Parameters:
    ///   - tape: the parsed event.
    ///   - object: the object node to classify.
    /// - Returns: the kind; ``json`` when nothing matches.
    public static func classify(_ tape: JSONTape, object: Int) -> EventKind {
        let present = MemberSignature(tape, object: object)
        func has(_ key: MemberSignature.Key) -> Bool { present.contains(key) }
        func string(_ key: String) -> String? {
            tape.value(forKeyCaseInsensitive: key, in: object).flatMap(tape.string)
        }

        if has(.classUID), has(.categoryUID) || has(.metadata) { return .ocsf }
        if has(.raw) || has(.rawBase64) { return .raw }
        if has(.eventSource), has(.eventName),
            has(.eventVersion) || has(.awsRegion) || isAWSServiceHost(string("eventSource"))
        {
            return .cloudTrail
        }
        if has(.source), has(.detailType), let source = string("source") {
            switch source {
            case "aws.guardduty": return .guardDuty
            case "aws.securityhub": return .securityHub
            case "aws.cloudtrail": return .cloudTrail
            default: return .eventBridge
            }
        }
        if has(.schemaVersion), has(.productARN) || has(.awsAccountID) { return .securityHub }
        if has(.schemaVersion), has(.type), has(.severity), has(.service) || has(.accountID) { return .guardDuty }
        if has(.eventType), has(.displayMessage) || has(.actor) { return .okta }
        if has(.protoPayload) || (has(.logName) && string("logName")?.contains("cloudaudit.googleapis.com") == true) {
            return .gcpAudit
        }
        if has(.operationName), has(.resourceID) || has(.category) || has(.tenantID) { return .azureActivity }
        if has(.kind), has(.apiVersion), string("kind") == "Event",
            string("apiVersion")?.hasPrefix("audit.k8s.io") == true
        {
            return .kubernetesAudit
        }
        if has(.sourceAddress) || has(.interfaceID) { return .vpcFlow }
        return .json
    }

    /// Whether a CloudTrail `eventSource` names an AWS service host (`signin.amazonaws.com`): a non-empty name before
    /// `.amazonaws.com`, ignoring ASCII case.
    private static func isAWSServiceHost(_ source: String?) -> Bool {
        let suffix = ".amazonaws.com"
        guard let source, source.utf8.count > suffix.utf8.count else { return false }
        return source.lowercased().hasSuffix(suffix)
    }
}
