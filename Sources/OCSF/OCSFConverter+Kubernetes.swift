import JSONBytes

extension OCSFConverter {
    /// A Kubernetes audit event (`audit.k8s.io`, EKS included) → API Activity 6003: the verb is the operation,
    /// the object reference the resource.
    func kubernetesAudit(_ source: SourceEvent) -> [UInt8]? {
        guard let verb = source.string("verb"),
            let time = source.time("requestReceivedTimestamp") ?? source.time("stageTimestamp")
        else { return nil }
        let code = source.int("responseStatus.code")
        let failed = code.map { $0 >= 400 } ?? false
        let resource = source.string("objectRef.resource")
        var out = OCSFEventWriter()
        out.classification(classUID: 6003, activityID: Self.kubernetesActivity(verb), severityID: 1, timeMillis: time)
        out.int("status_id", code == nil ? 0 : failed ? 2 : 1)
        out.string("status_detail", source.string("responseStatus.message"))
        out.string(
            "message",
            [verb, resource, source.string("objectRef.name")].compactMap { $0 }.joined(separator: " ")
        )
        out.open("actor")
        out.open("user")
        out.string("name", source.string("user.username"))
        out.string("uid", source.string("user.uid"))
        out.close()
        out.close()
        out.open("api")
        out.string("operation", verb)
        out.string("version", source.string("objectRef.apiVersion"))
        out.open("service")
        out.string("name", "kubernetes")
        out.close()
        if let auditID = source.string("auditID") {
            out.open("request")
            out.string("uid", auditID)
            out.close()
        }
        if let code {
            out.open("response")
            out.int("code", code)
            out.close()
        }
        out.close()
        if resource != nil {
            out.openArray("resources")
            out.openElement()
            out.string("type", resource)
            out.string("name", source.string("objectRef.name"))
            out.string("namespace", source.string("objectRef.namespace"))
            out.close()
            out.closeArray()
        }
        out.open("src_endpoint")
        if let addresses = source.node("sourceIPs"), source.tape.kind(addresses) == .array,
            let first = source.tape.children(addresses).first(where: { source.tape.kind($0) == .string })
        {
            out.string("ip", source.tape.string(first))
        }
        out.close()
        if let agent = source.string("userAgent") {
            out.open("http_request")
            out.string("user_agent", agent)
            out.close()
        }
        out.metadata(
            product: "Kubernetes audit",
            vendor: "Kubernetes",
            uid: source.string("auditID"),
            eventCode: source.string("stage"),
            logName: source.string("level")
        )
        out.cloud(provider: "Kubernetes", region: nil, account: nil)
        source.unmapped(
            except: [
                "verb", "requestReceivedTimestamp", "responseStatus", "user", "objectRef", "auditID",
                "sourceIPs", "userAgent", "stage", "level",
            ],
            into: &out
        )
        return out.finish()
    }

    /// The API Activity id of a Kubernetes verb: 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other.
    static func kubernetesActivity(_ verb: String) -> Int64 {
        switch verb {
        case "create": return 1
        case "get", "list", "watch": return 2
        case "update", "patch": return 3
        case "delete", "deletecollection": return 4
        default: return 99
        }
    }
}
