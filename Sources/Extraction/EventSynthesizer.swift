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

    /// The top-level members the CloudTrail sentence reads, found in one pass (indexes below).
    private static let cloudTrailMembers = JSONMemberFinder([
        "eventSource", "eventName", "userIdentity", "additionalEventData", "errorCode", "responseElements",
    ])

    /// `AWS <eventSource> <eventName>` and the facts that matter, written as bytes straight from the event (this
    /// runs for most events: no string per field, no array of parts, one pass over the top-level members).
    private static func cloudTrail(_ fields: Fields) -> String? {
        let top = cloudTrailMembers.values(in: fields.tape, object: fields.object)
        guard let source = fields.node("", from: top[0]), let name = fields.node("", from: top[1]) else { return nil }
        var text: [UInt8] = []
        text.reserveCapacity(128)
        appendLiteral("AWS ", to: &text)
        fields.appendText(of: source, to: &text)
        text.append(UInt8(ascii: " "))
        fields.appendText(of: name, to: &text)
        // Only the root identity says something about controls; "by IAM user" on every call pulled identity
        // controls onto read-only calls such as DescribeInstances.
        let identity = fields.node("type", from: top[2])
        let isRoot = identity.map { fields.text(of: $0, is: "Root") } ?? false
        if isRoot {
            appendLiteral(" by root account", to: &text)
        }
        // MFA is a fact about a person signing in as root or an IAM user. A role session (automation, a service, a
        // federated sign-in whose MFA happened at the identity provider) normally says mfaAuthenticated false or
        // MFAUsed No: written out, that pulled MFA controls onto every call a role made.
        let isPerson = isRoot || identity.map { fields.text(of: $0, is: "IAMUser") } ?? false
        if isPerson, let mfa = fields.node("MFAUsed", from: top[3]) {
            let used = fields.text(of: mfa, is: "yes", ignoringASCIICase: true)
            appendLiteral(used ? " with MFA" : " without MFA", to: &text)
        } else if isPerson, let flag = fields.node("sessionContext.attributes.mfaAuthenticated", from: top[2]),
            fields.text(of: flag, is: "false")
        {
            appendLiteral(" without MFA", to: &text)
        }
        if let error = fields.node("", from: top[4]) {
            appendLiteral(" failed: ", to: &text)
            fields.appendText(of: error, to: &text)
        } else if let outcome = fields.node("ConsoleLogin", from: top[5]) {
            appendLiteral(" outcome ", to: &text)
            fields.appendText(of: outcome, to: &text)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends ASCII text to UTF-8 bytes.
    private static func appendLiteral(_ literal: StaticString, to text: inout [UInt8]) {
        literal.withUTF8Buffer { text.append(contentsOf: $0) }
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
        guard var method = fields["protoPayload.methodName"] else { return nil }
        // `v1.compute.firewalls.patch`, `io.k8s.core.v1.nodes.patch`: the API verb that modifies a resource, not
        // software patching (which the word means in control text).
        if method.hasSuffix(".patch"), method.count > ".patch".count {
            method = method.dropLast("patch".count) + "modify"
        }
        var parts = ["Google Cloud", fields["protoPayload.serviceName"] ?? "", method]
        if let code = fields["protoPayload.status.code"], code != "0" {
            parts.append("failed: \(fields["protoPayload.status.message"] ?? "status \(code)")")
        }
        if fields["protoPayload.authorizationInfo.granted"] == "false" { parts.append("permission denied") }
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// An Azure record's `operationName`: a string, or in the activity log's REST form `{"value": …,
    /// "localizedValue": …}` (the form `category` also takes there).
    static func azureOperation(_ fields: Fields) -> String? {
        fields["operationName"] ?? fields["operationName.value"]
    }

    private static func azureActivity(_ fields: Fields) -> String? {
        guard let operation = azureOperation(fields) else { return nil }
        var parts = ["Azure", operation]
        if let category = fields["category"] ?? fields["category.value"] { parts.append("(\(category))") }
        if let result = fields["resultType"] { parts.append("result \(result)") }
        return parts.joined(separator: " ")
    }

    private static func kubernetesAudit(_ fields: Fields) -> String? {
        guard var verb = fields["verb"] else { return nil }
        // The API verb that modifies an object; in control text "patch" means software patching. The event type
        // (`patch nodes`) reaches the mapper unchanged through the event's metadata.
        if verb == "patch" { verb = "modify" }
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
            node(path).flatMap(text(of:))
        }

        /// The text of a scalar node (``node(_:)``): a string decoded, a number or Boolean as its JSON text.
        func text(of node: Int) -> String? {
            tape.kind(node) == .string ? tape.string(node) : String(decoding: tape.rawBytes(node), as: UTF8.self)
        }

        /// The node of the first scalar a dotted path reaches, by the rules of ``subscript(_:)``: a string that
        /// is not blank, a number or a Boolean.
        func node(_ path: String) -> Int? {
            node(path, from: object)
        }

        /// ``node(_:)`` of a path that starts at `start` instead of the object (-1, a member not found: `nil`).
        func node(_ path: String, from start: Int32) -> Int? {
            start < 0 ? nil : node(path, from: Int(start))
        }

        /// ``node(_:)`` of a path that starts at the node `start` instead of the object.
        private func node(_ path: String, from start: Int) -> Int? {
            var found: Int?
            tape.visit(path: path, from: start) { node in
                switch tape.kind(node) {
                case .string:
                    if tape.isNonBlankString(node) { found = node }
                case .number, .true, .false:
                    found = node
                default:
                    break
                }
                return found == nil
            }
            return found
        }

        /// Appends the text of a scalar node (``node(_:)``) as ``subscript(_:)`` reads it: a string decoded,
        /// anything else as its JSON text.
        func appendText(of node: Int, to text: inout [UInt8]) {
            if tape.kind(node) == .string, tape.hasEscapes(node) {
                text.append(contentsOf: tape.stringBytes(node) ?? [])
                return
            }
            var range = tape.byteRange(node)
            if tape.kind(node) == .string { range = range.lowerBound + 1..<range.upperBound - 1 }
            tape.source.withUnsafeBufferPointer { text.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
        }

        /// Whether the text of a scalar node (as ``appendText(of:to:)`` writes it) is `expected`, optionally
        /// ignoring ASCII case (`expected` in lower case; all a case-insensitive match of an ASCII word ignores).
        func text(of node: Int, is expected: StaticString, ignoringASCIICase: Bool = false) -> Bool {
            let matches = { (value: UnsafeBufferPointer<UInt8>) -> Bool in
                expected.withUTF8Buffer { wanted in
                    guard value.count == wanted.count else { return false }
                    for (byte, want) in zip(value, wanted) where byte != want {
                        guard ignoringASCIICase, byte &- UInt8(ascii: "A") < 26, byte | 0x20 == want else {
                            return false
                        }
                    }
                    return true
                }
            }
            if tape.kind(node) == .string, tape.hasEscapes(node) {
                return (tape.stringBytes(node) ?? []).withUnsafeBufferPointer(matches)
            }
            var range = tape.byteRange(node)
            if tape.kind(node) == .string { range = range.lowerBound + 1..<range.upperBound - 1 }
            return tape.source.withUnsafeBufferPointer { matches(UnsafeBufferPointer(rebasing: $0[range])) }
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
