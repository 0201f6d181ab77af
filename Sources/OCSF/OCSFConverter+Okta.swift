import JSONBytes

extension OCSFConverter {
    /// Okta System Log event types that are Account Change (3001) activities.
    static let oktaAccountChanges: [String: Int64] = [
        "user.lifecycle.create": 1, "user.lifecycle.activate": 2, "user.lifecycle.reactivate": 2,
        "user.account.update_password": 3, "user.account.reset_password": 4, "user.lifecycle.deactivate": 5,
        "user.lifecycle.suspend": 5, "user.lifecycle.delete.initiated": 6, "user.account.lock": 9,
        "user.mfa.factor.activate": 10, "user.mfa.factor.deactivate": 11,
    ]

    /// The class of an Okta event type: 3002 for sign-on and session events, 3001 for user lifecycle and
    /// credential changes, `nil` for the rest.
    static func oktaClass(_ eventType: String) -> Int? {
        if eventType.hasPrefix("user.session.") || eventType.hasPrefix("user.authentication") { return 3002 }
        return oktaAccountChanges[eventType] == nil ? nil : 3001
    }

    /// An Okta System Log event: sign-on and session events → Authentication 3002, user lifecycle and
    /// credential changes → Account Change 3001; other event types have no mapping.
    func okta(_ source: SourceEvent) -> [UInt8]? {
        guard let eventType = source.string("eventType"), let time = source.time("published") else { return nil }
        guard let eventClass = Self.oktaClass(eventType) else { return nil }
        let authentication: Int64? =
            eventClass != 3002
            ? nil
            : eventType.hasPrefix("user.session.start") || eventType.hasPrefix("user.authentication")
                ? 1
                : eventType.hasPrefix("user.session.end") ? 2 : 99
        let change = Self.oktaAccountChanges[eventType]
        let result = source.string("outcome.result")
        let failed = result.map { $0 != "SUCCESS" && $0 != "ALLOW" } ?? false
        var out = OCSFEventWriter()
        let severity: [String: Int64] = ["DEBUG": 1, "INFO": 1, "WARN": 3, "ERROR": 4]
        out.classification(
            classUID: authentication != nil ? 3002 : 3001,
            activityID: authentication ?? change ?? 99,
            severityID: source.string("severity").flatMap { severity[$0] } ?? 0,
            timeMillis: time
        )
        out.int("status_id", result == nil ? 0 : failed ? 2 : 1)
        out.string("status_detail", source.string("outcome.reason"))
        out.string("message", source.string("displayMessage") ?? eventType)
        let actorName = source.string("actor.alternateId")
        let target = firstTarget(source)
        out.open("user")
        if authentication != nil {
            out.string("name", actorName)
            out.string("uid", source.string("actor.id"))
            out.string("full_name", source.string("actor.displayName"))
        } else {
            out.string("name", target?.string("alternateId") ?? actorName)
            out.string("uid", target?.string("id"))
            out.string("full_name", target?.string("displayName"))
        }
        out.close()
        if authentication == nil {
            out.open("actor")
            out.open("user")
            out.string("name", actorName)
            out.string("uid", source.string("actor.id"))
            out.close()
            out.close()
        }
        out.open("src_endpoint")
        out.string("ip", source.string("client.ipAddress"))
        out.close()
        if let agent = source.string("client.userAgent.rawUserAgent") {
            out.open("http_request")
            out.string("user_agent", agent)
            out.close()
        }
        out.metadata(
            product: "Okta System Log",
            vendor: "Okta",
            uid: source.string("uuid"),
            eventCode: eventType,
            logName: nil
        )
        out.cloud(provider: "Okta", region: nil, account: nil)
        source.unmapped(
            except: ["eventType", "published", "outcome", "displayMessage", "actor", "severity", "uuid"],
            into: &out
        )
        return out.finish()
    }

    private func firstTarget(_ source: SourceEvent) -> SourceEvent? {
        guard let list = source.node("target"), source.tape.kind(list) == .array,
            let first = source.tape.children(list).first(where: { source.tape.kind($0) == .object })
        else { return nil }
        return SourceEvent(tape: source.tape, object: first)
    }
}
