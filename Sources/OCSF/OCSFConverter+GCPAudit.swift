import JSONBytes

extension OCSFConverter {
    /// A Google Cloud audit log entry (`protoPayload` of type AuditLog) → API Activity 6003: the method is the
    /// operation, the service the API service, the project the account.
    func gcpAudit(_ source: SourceEvent) -> [UInt8]? {
        guard let method = source.string("protoPayload.methodName"),
            let time = source.time("timestamp") ?? source.time("receiveTimestamp") ?? source.time("p_event_time")
        else { return nil }
        let code = source.int("protoPayload.status.code")
        let failed = code.map { $0 != 0 } ?? false
        var out = OCSFEventWriter()
        out.classification(classUID: 6003, activityID: Self.gcpActivity(method), severityID: 1, timeMillis: time)
        out.int("status_id", failed ? 2 : 1)
        out.string("status_detail", source.string("protoPayload.status.message"))
        let service = source.string("protoPayload.serviceName")
        out.string(
            "message",
            [method, source.string("protoPayload.resourceName")].compactMap { $0 }.joined(separator: " ")
        )
        out.open("actor")
        out.open("user")
        out.string("name", source.string("protoPayload.authenticationInfo.principalEmail"))
        out.close()
        out.close()
        out.open("api")
        out.string("operation", method)
        out.open("service")
        out.string("name", service)
        out.close()
        if let insertID = source.string("insertId") {
            out.open("request")
            out.string("uid", insertID)
            out.close()
        }
        out.close()
        if let name = source.string("protoPayload.resourceName") {
            out.openArray("resources")
            out.openElement()
            out.string("name", name)
            out.string("type", source.string("resource.type"))
            out.close()
            out.closeArray()
        }
        out.open("src_endpoint")
        out.string(
            "ip",
            source.string("protoPayload.requestMetadata.callerIp")
                ?? source.string("protoPayload.requestMetadata.callerIP")
        )
        out.close()
        if let agent = source.string("protoPayload.requestMetadata.callerSuppliedUserAgent") {
            out.open("http_request")
            out.string("user_agent", agent)
            out.close()
        }
        out.metadata(
            product: "Cloud Audit Logs",
            vendor: "Google",
            uid: source.string("insertId"),
            eventCode: method,
            logName: source.string("logName")
        )
        out.cloud(
            provider: "GCP",
            region: source.string("resource.labels.location") ?? source.string("resource.labels.region"),
            account: source.string("resource.labels.project_id")
        )
        source.unmapped(except: ["timestamp", "insertId", "logName"], into: &out)
        return out.finish()
    }

    /// The API Activity id of a Google Cloud method from the verb of its last segment.
    static func gcpActivity(_ method: String) -> Int64 {
        let verb = (method.split(separator: ".").last.map(String.init) ?? method).lowercased()
        let verbs: [(Int64, [String])] = [
            (1, ["create", "insert", "add"]), (2, ["get", "list", "search", "read"]),
            (4, ["delete", "remove"]), (3, ["update", "patch", "set", "modify", "enable", "disable"]),
        ]
        for (activity, prefixes) in verbs where prefixes.contains(where: { verb.hasPrefix($0) }) {
            return activity
        }
        return 99
    }
}
