import JSONBytes

/// Whether an event reports that the action it records failed, read from the fields its family keeps the outcome in.
///
/// CloudTrail: an `errorCode` or `errorMessage` (a throttled or internally failed call is no outcome of the access
/// decision and counts as none), or `Failure` as the member named after the event in `responseElements` or
/// `serviceEventDetails` (`ConsoleLogin`, `ExternalIdPDirectoryLogin`, `CredentialVerification`). Okta:
/// `outcome.result` `FAILURE` or `DENY`. Azure: `resultType` `Failure`/`Failed`, or a numeric one other than `0`
/// (Entra ID sign-in logs write the error code there). Other families: unknown.
enum EventOutcome {
    /// The CloudTrail members the outcome is read from, found in one pass (indexes below).
    private static let cloudTrailMembers = JSONMemberFinder([
        "errorCode", "errorMessage", "responseElements", "serviceEventDetails",
    ])

    /// CloudTrail error codes that say the call was not decided: throttling and service faults.
    private static let undecidedErrorCodes: Set<String> = [
        "ThrottlingException", "Throttling", "RequestLimitExceeded", "TooManyRequestsException",
        "InternalError", "InternalFailure", "InternalServerError", "InternalServerException",
        "ServiceUnavailable", "ServiceUnavailableException",
    ]

    /// Whether the event failed; `nil` when its family keeps no outcome or this event states none.
    /// - Parameters:
    ///   - kind: The event's family.
    ///   - fields: The object the event type was read from.
    ///   - type: The event's type (``EventMetadata/eventType``).
    static func failed(_ kind: EventKind, _ fields: EventSynthesizer.Fields, type: String) -> Bool? {
        switch kind {
        case .cloudTrail:
            return cloudTrail(fields, eventName: type)
        case .okta:
            return fields.node("outcome.result").map {
                fields.text(of: $0, is: "failure", ignoringASCIICase: true)
                    || fields.text(of: $0, is: "deny", ignoringASCIICase: true)
            }
        case .azureActivity:
            return fields["resultType"].map(azureResultFailed)
        default:
            return nil
        }
    }

    private static func cloudTrail(_ fields: EventSynthesizer.Fields, eventName: String) -> Bool {
        let top = cloudTrailMembers.values(in: fields.tape, object: fields.object)
        if let code = fields.node("", from: top[0]) {
            return fields.text(of: code).map { !undecidedErrorCodes.contains($0) } ?? true
        }
        if fields.node("", from: top[1]) != nil {
            return true
        }
        for container in [top[2], top[3]] where container >= 0 && fields.tape.kind(Int(container)) == .object {
            if let outcome = fields.tape.value(forKey: eventName, in: Int(container)),
                fields.text(of: outcome, is: "failure", ignoringASCIICase: true)
            {
                return true
            }
        }
        return false
    }

    /// Whether an Azure `resultType` reports a failure: `Failure`, `Failed`, or an error number other than 0.
    static func azureResultFailed(_ result: String) -> Bool {
        if !result.isEmpty, result.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) {
            return result.utf8.contains { $0 != UInt8(ascii: "0") }
        }
        let lowered = result.lowercased()
        return lowered == "failure" || lowered == "failed"
    }
}
