import JSONBytes

extension OCSFConverter {
    /// A VPC flow log record (JSON, field names as in the log format: `srcAddr`, `dstPort`, `action`, …) →
    /// Network Activity 4001 with activity 6 (Traffic).
    func vpcFlow(_ source: SourceEvent) -> [UInt8]? {
        guard let sourceAddress = source.string("srcAddr") ?? source.string("srcaddr"),
            let destination = source.string("dstAddr") ?? source.string("dstaddr"),
            let time = source.time("start") ?? source.time("p_event_time") ?? source.time("end")
        else { return nil }
        let action = source.string("action")
        var out = OCSFEventWriter()
        out.classification(classUID: 4001, activityID: 6, severityID: 1, timeMillis: time)
        out.int("action_id", action == "ACCEPT" ? 1 : action == "REJECT" ? 2 : 0)
        out.string("action", action.map { $0 == "ACCEPT" ? "Allowed" : $0 == "REJECT" ? "Denied" : "Other" })
        out.int("start_time", source.time("start"))
        out.int("end_time", source.time("end"))
        out.string(
            "message",
            "\(action ?? "flow") \(sourceAddress) -> \(destination)" + (source.string("dstPort").map { ":\($0)" } ?? "")
        )
        out.open("src_endpoint")
        out.string("ip", sourceAddress)
        out.int("port", source.int("srcPort") ?? source.int("srcport"))
        out.string("vpc_uid", source.string("vpcId"))
        out.string("subnet_uid", source.string("subNetId") ?? source.string("subnetId"))
        out.string("interface_uid", source.string("interfaceId"))
        out.close()
        out.open("dst_endpoint")
        out.string("ip", destination)
        out.int("port", source.int("dstPort") ?? source.int("dstport"))
        out.close()
        let direction = source.string("flowDirection")
        out.open("connection_info")
        out.int("protocol_num", source.int("protocol"))
        out.int("direction_id", direction == "ingress" ? 1 : direction == "egress" ? 2 : 0)
        out.close()
        if source.int("bytes") != nil || source.int("packets") != nil {
            out.open("traffic")
            out.int("bytes", source.int("bytes"))
            out.int("packets", source.int("packets"))
            out.close()
        }
        out.metadata(product: "Amazon VPC", vendor: "AWS", uid: nil, eventCode: nil, logName: "flow-logs")
        out.cloud(provider: "AWS", region: source.string("region"), account: source.string("accountId"))
        source.unmapped(
            except: [
                "srcAddr", "dstAddr", "srcaddr", "dstaddr", "start", "end", "action", "srcPort", "dstPort",
                "srcport", "dstport", "vpcId", "subNetId", "subnetId", "interfaceId", "flowDirection",
                "protocol", "bytes", "packets", "region", "accountId",
            ],
            into: &out
        )
        return out.finish()
    }
}
