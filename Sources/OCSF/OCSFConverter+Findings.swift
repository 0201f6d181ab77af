import JSONBytes

extension OCSFConverter {
    /// A Security Hub finding (ASFF): control checks (a `Compliance` block or a standards control) → Compliance
    /// Finding 2003; everything else (GuardDuty, Inspector, Macie, partner detections) → Detection Finding 2004.
    func securityHub(_ source: SourceEvent) -> [UInt8]? {
        guard let id = source.string("Id"), let title = source.string("Title"),
            let time = source.time("UpdatedAt") ?? source.time("CreatedAt")
        else { return nil }
        let control =
            source.string("Compliance.SecurityControlId") ?? source.string("ProductFields.ControlId")
            ?? source.string("ProductFields.RuleId")
        let standard = source.string("ProductFields.StandardsArn") ?? source.string("ProductFields.StandardsGuideArn")
        let isCompliance = source.node("Compliance") != nil || control != nil || standard != nil
        let created = source.time("CreatedAt")
        var out = OCSFEventWriter()
        out.classification(
            classUID: isCompliance ? 2003 : 2004,
            activityID: created == nil || created == time ? 1 : 2,
            severityID: Self.severityID(
                label: source.string("Severity.Label"),
                normalized: source.int("Severity.Normalized")
            ),
            timeMillis: time
        )
        let workflow: [String: Int64] = ["NEW": 1, "NOTIFIED": 2, "SUPPRESSED": 3, "RESOLVED": 4]
        out.int("status_id", source.string("Workflow.Status").flatMap { workflow[$0] })
        out.string("message", title)
        out.open("finding_info")
        out.string("uid", id)
        out.string("title", title)
        out.string("desc", source.string("Description"))
        out.strings("types", stringArray(source, "Types"))
        out.int("created_time", created)
        out.int("modified_time", time)
        out.string("src_url", source.string("SourceUrl"))
        out.string("product_uid", source.string("ProductArn"))
        out.close()
        if isCompliance {
            out.open("compliance")
            out.strings(
                "standards",
                standard.map { [$0] } ?? [source.string("GeneratorId") ?? "unknown"]
            )
            out.string("control", control)
            out.strings("requirements", stringArray(source, "Compliance.RelatedRequirements"))
            let status: [String: Int64] = ["PASSED": 1, "WARNING": 2, "FAILED": 3, "NOT_AVAILABLE": 99]
            let complianceStatus = source.string("Compliance.Status")
            out.int("status_id", complianceStatus.map { status[$0] ?? 99 })
            out.string("status", complianceStatus)
            out.close()
            if let resource = firstResource(source) {
                out.open("resource")
                writeResource(resource, out: &out)
                out.close()
            }
        } else {
            writeResourceList(source, out: &out)
        }
        if let text = source.string("Remediation.Recommendation.Text") {
            out.open("remediation")
            out.string("desc", text)
            out.strings("references", source.string("Remediation.Recommendation.Url").map { [$0] } ?? [])
            out.close()
        }
        out.metadata(
            product: source.string("ProductName") ?? source.string("ProductFields.aws/securityhub/ProductName")
                ?? "Security Hub",
            vendor: source.string("CompanyName") ?? "AWS",
            uid: id,
            eventCode: nil,
            logName: nil
        )
        out.cloud(
            provider: "AWS",
            region: source.string("Region") ?? firstResource(source).flatMap { $0.string("Region") },
            account: source.string("AwsAccountId")
        )
        source.unmapped(
            except: [
                "Id", "Title", "Description", "UpdatedAt", "CreatedAt", "Severity", "Types", "SourceUrl", "ProductArn",
                "Compliance", "Resources", "Remediation", "ProductName", "CompanyName", "Region", "AwsAccountId",
                "Workflow",
            ],
            into: &out
        )
        return out.finish()
    }

    /// A GuardDuty finding (native JSON, or the `detail` of its EventBridge event) → Detection Finding 2004.
    func guardDuty(_ source: SourceEvent) -> [UInt8]? {
        guard let id = source.string("id"), let title = source.string("title") ?? source.string("type"),
            let time = source.time("updatedAt") ?? source.time("createdAt")
        else { return nil }
        let created = source.time("createdAt")
        var out = OCSFEventWriter()
        out.classification(
            classUID: 2004,
            activityID: created == nil || created == time ? 1 : 2,
            severityID: Self.guardDutySeverity(source.double("severity")),
            timeMillis: time
        )
        out.string("message", title)
        out.open("finding_info")
        out.string("uid", source.string("arn") ?? id)
        out.string("title", title)
        out.string("desc", source.string("description"))
        out.strings("types", source.string("type").map { [$0] } ?? [])
        out.int("created_time", created)
        out.int("modified_time", time)
        out.int("first_seen_time", source.time("service.eventFirstSeen"))
        out.int("last_seen_time", source.time("service.eventLastSeen"))
        out.close()
        if let type = source.string("resource.resourceType") {
            out.openArray("resources")
            out.openElement()
            out.string("type", type)
            out.string(
                "uid",
                source.string("resource.instanceDetails.instanceId")
                    ?? source.string("resource.accessKeyDetails.accessKeyId")
            )
            out.close()
            out.closeArray()
        }
        out.metadata(product: "GuardDuty", vendor: "AWS", uid: id, eventCode: source.string("type"), logName: nil)
        out.cloud(provider: "AWS", region: source.string("region"), account: source.string("accountId"))
        source.unmapped(
            except: [
                "id", "arn", "title", "description", "type", "updatedAt", "createdAt", "severity", "region",
                "accountId",
            ],
            into: &out
        )
        return out.finish()
    }

    /// OCSF severity id from an ASFF label (or its normalized 0–100 score).
    static func severityID(label: String?, normalized: Int64?) -> Int64 {
        switch label {
        case "INFORMATIONAL": return 1
        case "LOW": return 2
        case "MEDIUM": return 3
        case "HIGH": return 4
        case "CRITICAL": return 5
        default:
            guard let normalized else { return 0 }
            if normalized >= 90 { return 5 }
            if normalized >= 70 { return 4 }
            if normalized >= 40 { return 3 }
            return normalized >= 1 ? 2 : 1
        }
    }

    /// OCSF severity id from GuardDuty's 1.0–10.0 severity.
    static func guardDutySeverity(_ value: Double?) -> Int64 {
        guard let value else { return 0 }
        if value >= 9 { return 5 }
        if value >= 7 { return 4 }
        if value >= 4 { return 3 }
        return value >= 1 ? 2 : 1
    }

    private func stringArray(_ source: SourceEvent, _ path: String) -> [String] {
        guard let node = source.node(path), source.tape.kind(node) == .array else { return [] }
        return source.tape.children(node).compactMap { source.tape.string($0) }
    }

    private func firstResource(_ source: SourceEvent) -> SourceEvent? {
        guard let list = source.node("Resources"), source.tape.kind(list) == .array,
            let first = source.tape.children(list).first(where: { source.tape.kind($0) == .object })
        else { return nil }
        return SourceEvent(tape: source.tape, object: first)
    }

    private func writeResource(_ resource: SourceEvent, out: inout OCSFEventWriter) {
        out.string("uid", resource.string("Id"))
        out.string("type", resource.string("Type"))
        out.string("region", resource.string("Region"))
        out.string("cloud_partition", resource.string("Partition"))
    }

    private func writeResourceList(_ source: SourceEvent, out: inout OCSFEventWriter) {
        guard let list = source.node("Resources"), source.tape.kind(list) == .array, source.tape.count(list) > 0 else {
            return
        }
        out.openArray("resources")
        for element in source.tape.children(list) where source.tape.kind(element) == .object {
            out.openElement()
            writeResource(SourceEvent(tape: source.tape, object: element), out: &out)
            out.close()
        }
        out.closeArray()
    }
}
