import JSONBytes

/// Whether an event reports that the action it records failed, read from the fields its family keeps the outcome in.
///
/// CloudTrail: an `errorCode` or `errorMessage` (a throttled or internally failed call is no outcome of the access
/// decision and counts as none), or `Failure` as the member named after the event in `responseElements` or
/// `serviceEventDetails` (`ConsoleLogin`, `ExternalIdPDirectoryLogin`, `CredentialVerification`). Okta:
/// `outcome.result` `FAILURE` or `DENY`. Azure: `resultType` `Failure`/`Failed`, or a numeric one other than `0`
/// (Entra ID sign-in logs write the error code there). Other families: unknown.
enum EventOutcome {
    /// CloudTrail error codes that say the call was not decided: throttling and service faults.
    private static let undecidedErrorCodes: [StaticString] = [
        "ThrottlingException", "Throttling", "RequestLimitExceeded", "TooManyRequestsException",
        "InternalError", "InternalFailure", "InternalServerError", "InternalServerException",
        "ServiceUnavailable", "ServiceUnavailableException",
    ]

    /// Whether an Okta or Azure event failed; `nil` when its family keeps no outcome or this event states none
    /// (CloudTrail records: ``cloudTrailFailed(_:errorCode:errorMessage:containers:eventName:)``).
    /// - Parameters:
    ///   - kind: The event's family.
    ///   - fields: The object the event type was read from.
    static func failed(_ kind: EventKind, _ fields: EventSynthesizer.Fields) -> Bool? {
        switch kind {
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

    /// Whether a CloudTrail record failed, from its members (value nodes, -1 when absent) found in the pass that
    /// reads its metadata (``EventMetadata/readCloudTrail(_:into:)``): this runs for every CloudTrail event and
    /// makes no string.
    static func cloudTrailFailed(
        _ fields: EventSynthesizer.Fields,
        errorCode: Int32,
        errorMessage: Int32,
        containers: (Int32, Int32),
        eventName: String
    ) -> Bool {
        let tape = fields.tape
        if errorCode >= 0, tape.isNonBlankString(Int(errorCode)) {
            let code = Int(errorCode)
            return !undecidedErrorCodes.contains { fields.text(of: code, is: $0) }
        }
        if errorMessage >= 0, tape.isNonBlankString(Int(errorMessage)) {
            return true
        }
        return isFailure(fields, in: containers.0, member: eventName)
            || isFailure(fields, in: containers.1, member: eventName)
    }

    /// Whether `container` (a value node, or -1) is an object whose member `member` is `Failure` in any case.
    private static func isFailure(_ fields: EventSynthesizer.Fields, in container: Int32, member: String) -> Bool {
        guard container >= 0, fields.tape.kind(Int(container)) == .object,
            let outcome = fields.tape.value(forKey: member, in: Int(container))
        else {
            return false
        }
        return fields.text(of: outcome, is: "failure", ignoringASCIICase: true)
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
