import JSONBytes

/// Builds a short text for events that carry no prose, from the fields that carry their meaning.
///
/// The text names the service and action in words, the outcome, and the security-relevant facts the
/// mapper keys on: root or privileged identity, MFA use, access denied, console sign-in.
enum EventSynthesizer {
    /// The synthesised text for an object of a kind, or `nil` when its key fields are missing.
    static func text(for kind: EventKind, tape: JSONTape, object: Int) -> String? {
        let fields = Fields(tape: tape, object: object)
        switch kind {
        case .cloudTrail: return cloudTrail(fields)
        case .guardDuty, .securityHub: return fields.first(["title", "Title", "type", "Types"])
        case .okta: return okta(fields)
        case .gcpAudit: return gcpAudit(fields)
        case .azureActivity: return azureActivity(fields)
        case .kubernetesAudit: return kubernetesAudit(fields)
        case .vpcFlow: return vpcFlow(fields)
        case .ocsf: return fields.first(["activity_name", "type_name", "class_name"])
        case .eventBridge: return fields.first(["detail-type"])
        case .raw: return fields["_raw"].map(rawText)
        default: return nil
        }
    }

    private static func cloudTrail(_ fields: Fields) -> String? {
        guard let source = fields["eventSource"], let name = fields["eventName"] else { return nil }
        var parts = ["AWS", source, name]
        // Only the root identity says something about controls; "by IAM user" on every call pulled identity
        // controls onto read-only calls such as DescribeInstances.
        if fields["userIdentity.type"] == "Root" {
            parts.append("by root account")
        }
        if let mfa = fields["additionalEventData.MFAUsed"] {
            parts.append(mfa.lowercased() == "yes" ? "with MFA" : "without MFA")
        } else if fields["userIdentity.sessionContext.attributes.mfaAuthenticated"] == "false" {
            parts.append("without MFA")
        }
        if let error = fields["errorCode"] {
            parts.append("failed: \(error)")
        } else if let outcome = fields["responseElements.ConsoleLogin"] {
            parts.append("outcome \(outcome)")
        }
        return parts.joined(separator: " ")
    }

    /// Text kept in a `_raw` wrapper: a VPC flow log line (default format, version 2) becomes a sentence;
    /// any other text is mapped as it is.
    static func rawText(_ text: String) -> String {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 14, fields[0] == "2", fields[12] == "ACCEPT" || fields[12] == "REJECT" else {
            return text
        }
        let protocols = ["1": "icmp", "6": "tcp", "17": "udp"]
        let name = protocols[String(fields[7])].map { " protocol \($0)" } ?? ""
        return "VPC flow log network traffic \(fields[12]) to port \(fields[6])\(name)"
    }

    private static func okta(_ fields: Fields) -> String? {
        guard let type = fields["eventType"] else { return nil }
        var parts = ["Okta", fields["displayMessage"] ?? "", "(\(String(type.map { $0 == "." ? " " : $0 })))"]
        if let result = fields["outcome.result"] { parts.append("outcome \(result)") }
        if let reason = fields["outcome.reason"] { parts.append(reason) }
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }

    private static func gcpAudit(_ fields: Fields) -> String? {
        guard let method = fields["protoPayload.methodName"] else { return nil }
        var parts = ["Google Cloud", fields["protoPayload.serviceName"] ?? "", method]
        if let code = fields["protoPayload.status.code"], code != "0" {
            parts.append("failed: \(fields["protoPayload.status.message"] ?? "status \(code)")")
        }
        if fields["protoPayload.authorizationInfo.granted"] == "false" { parts.append("permission denied") }
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }

    private static func azureActivity(_ fields: Fields) -> String? {
        guard let operation = fields["operationName"] else { return nil }
        var parts = ["Azure", operation]
        if let category = fields["category"] { parts.append("(\(category))") }
        if let result = fields["resultType"] { parts.append("result \(result)") }
        return parts.joined(separator: " ")
    }

    private static func kubernetesAudit(_ fields: Fields) -> String? {
        guard let verb = fields["verb"] else { return nil }
        var resource = fields["objectRef.resource"] ?? ""
        if let sub = fields["objectRef.subresource"] { resource += "/\(sub)" }
        var parts = ["Kubernetes", verb, resource]
        if let user = fields["user.username"] {
            parts.append(user == "system:anonymous" ? "by anonymous user" : "by \(user)")
        }
        if let code = fields["responseStatus.code"], code.hasPrefix("4") || code.hasPrefix("5") {
            parts.append("failed: status \(code)")
        }
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }

    private static func vpcFlow(_ fields: Fields) -> String? {
        let action = fields.first(["action", "Action"]) ?? fields["status"]
        guard let action else { return nil }
        var parts = ["VPC flow log network traffic", action]
        if let port = fields.first(["dstport", "dstPort", "dstport"]) { parts.append("to port \(port)") }
        return parts.joined(separator: " ")
    }

    /// Scalar fields of one object addressed by dotted paths; numbers and Booleans as their JSON text.
    struct Fields {
        let tape: JSONTape
        let object: Int

        /// The first scalar a dotted path reaches, as text.
        subscript(path: String) -> String? {
            var result: String?
            tape.visit(path: path, from: object) { node in
                switch tape.kind(node) {
                case .string:
                    if tape.isNonBlankString(node) { result = tape.string(node) }
                case .number, .true, .false:
                    result = String(decoding: tape.rawBytes(node), as: UTF8.self)
                default:
                    break
                }
                return result == nil
            }
            return result
        }

        /// The first of several paths that holds a value.
        func first(_ paths: [String]) -> String? {
            for path in paths {
                if let value = self[path] { return value }
            }
            return nil
        }
    }
}
