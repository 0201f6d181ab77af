import JSONBytes

extension OCSFConverter {
    /// IAM operations on users that are Account Change (3001) activities.
    static let accountChanges: [String: Int64] = [
        "CreateUser": 1, "CreateLoginProfile": 1, "UpdateLoginProfile": 3, "DeleteUser": 6,
        "AttachUserPolicy": 7, "PutUserPolicy": 7, "DetachUserPolicy": 8, "DeleteUserPolicy": 8,
        "EnableMFADevice": 10, "DeactivateMFADevice": 11,
    ]

    /// A CloudTrail record: console sign-ins → Authentication 3002; IAM user changes that name the user →
    /// Account Change 3001; everything else → API Activity 6003.
    func cloudTrail(_ source: SourceEvent) -> [UInt8]? {
        guard let time = source.time("eventTime"), let eventName = source.string("eventName"),
            let eventSource = source.string("eventSource")
        else { return nil }
        let used: Set<String> = [
            "eventTime", "eventName", "eventSource", "awsRegion", "recipientAccountId", "eventID", "eventType",
            "sourceIPAddress", "userAgent", "errorCode", "errorMessage", "userIdentity", "requestID", "resources",
        ]
        let failed = source.string("errorCode") != nil
        var out = OCSFEventWriter()
        let region = source.string("awsRegion")
        let account = source.string("recipientAccountId") ?? source.string("userIdentity.accountId")
        let message = "\(eventName) on \(eventSource)" + (failed ? " failed" : "")
        if eventName == "ConsoleLogin" {
            let status = source.string("responseElements.ConsoleLogin")
            let success = status == "Success" && !failed
            out.classification(classUID: 3002, activityID: 1, severityID: success ? 1 : 3, timeMillis: time)
            out.int("status_id", success ? 1 : 2)
            out.string("status", success ? "Success" : "Failure")
            out.string("status_detail", source.string("errorMessage"))
            out.bool("is_mfa", source.string("additionalEventData.MFAUsed").map { $0 == "Yes" })
            writeUser("user", source, out: &out)
            out.open("service")
            out.string("name", eventSource)
            out.close()
        } else if eventSource == "iam.amazonaws.com", let activity = Self.accountChanges[eventName],
            let userName = source.string("requestParameters.userName")
        {
            out.classification(classUID: 3001, activityID: activity, severityID: 1, timeMillis: time)
            out.int("status_id", failed ? 2 : 1)
            out.string("status_detail", source.string("errorMessage"))
            out.open("user")
            out.string("name", userName)
            out.close()
            out.open("actor")
            writeUser("user", source, out: &out)
            out.close()
        } else {
            out.classification(
                classUID: 6003,
                activityID: Self.apiActivity(eventName),
                severityID: 1,
                timeMillis: time
            )
            out.int("status_id", failed ? 2 : 1)
            out.string("status", failed ? "Failure" : "Success")
            out.open("actor")
            writeUser("user", source, out: &out)
            out.close()
            out.open("api")
            out.string("operation", eventName)
            out.open("service")
            out.string("name", eventSource)
            out.close()
            if let request = source.string("requestID") {
                out.open("request")
                out.string("uid", request)
                out.close()
            }
            if failed {
                out.open("response")
                out.string("error", source.string("errorCode"))
                out.string("error_message", source.string("errorMessage"))
                out.close()
            }
            out.close()
            writeResources(source, out: &out)
        }
        out.string("message", message)
        out.metadata(
            product: "CloudTrail",
            vendor: "AWS",
            uid: source.string("eventID"),
            eventCode: source.string("eventType"),
            logName: nil
        )
        out.cloud(provider: "AWS", region: region, account: account)
        out.open("src_endpoint")
        out.string("ip", source.string("sourceIPAddress").flatMap { Self.looksLikeIP($0) ? $0 : nil })
        out.string("domain", source.string("sourceIPAddress").flatMap { Self.looksLikeIP($0) ? nil : $0 })
        out.close()
        if let agent = source.string("userAgent") {
            out.open("http_request")
            out.string("user_agent", agent)
            out.close()
        }
        source.unmapped(except: used, into: &out)
        return out.finish()
    }

    /// The API Activity id of an operation name: 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other.
    static func apiActivity(_ operation: String) -> Int64 {
        let verbs: [(Int64, [String])] = [
            (2, ["Get", "Describe", "List", "Head", "Lookup", "Search", "Select", "BatchGet", "Check"]),
            (4, ["Delete", "Remove", "Terminate", "Deregister", "Revoke", "Disable", "Detach", "Stop"]),
            (1, ["Create", "Put", "Run", "Start", "Register", "Import", "Add", "Allocate", "Issue", "Generate"]),
            (3, ["Update", "Modify", "Set", "Attach", "Associate", "Enable", "Authorize", "Change", "Reset", "Tag"]),
        ]
        for (activity, prefixes) in verbs where prefixes.contains(where: { operation.hasPrefix($0) }) {
            return activity
        }
        return 99
    }

    /// Whether a text looks like an IPv4 or IPv6 address (CloudTrail puts service names in `sourceIPAddress`).
    static func looksLikeIP(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") || (byte >= 0x30 && byte <= 0x39)
                    || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
            }
    }

    private func writeUser(_ name: String, _ source: SourceEvent, out: inout OCSFEventWriter) {
        out.open(name)
        out.string("type", source.string("userIdentity.type"))
        out.string(
            "name",
            source.string("userIdentity.userName")
                ?? source.string("userIdentity.sessionContext.sessionIssuer.userName")
        )
        out.string("uid", source.string("userIdentity.arn") ?? source.string("userIdentity.principalId"))
        out.string("credential_uid", source.string("userIdentity.accessKeyId"))
        if let account = source.string("userIdentity.accountId") {
            out.open("account")
            out.string("uid", account)
            out.close()
        }
        out.close()
    }

    private func writeResources(_ source: SourceEvent, out: inout OCSFEventWriter) {
        guard let list = source.node("resources"), source.tape.kind(list) == .array, source.tape.count(list) > 0 else {
            return
        }
        out.openArray("resources")
        for element in source.tape.children(list) where source.tape.kind(element) == .object {
            let resource = SourceEvent(tape: source.tape, object: element)
            out.openElement()
            out.string("uid", resource.string("ARN"))
            out.string("type", resource.string("type"))
            if let account = resource.string("accountId") {
                out.open("owner")
                out.open("account")
                out.string("uid", account)
                out.close()
                out.close()
            }
            out.close()
        }
        out.closeArray()
    }
}
