import JSONBytes

extension EventMetadata {
    /// The members a CloudTrail record's metadata and outcome are read from, found in one pass (indexes below).
    private static let cloudTrailMembers = JSONMemberFinder([
        "eventName", "awsRegion", "recipientAccountId", "eventTime",
        "errorCode", "errorMessage", "responseElements", "serviceEventDetails",
    ])

    /// Fills in what one object of a CloudTrail record says that `metadata` does not have yet: `eventName` (and the
    /// outcome, ``EventOutcome``), `awsRegion`, `recipientAccountId` (else `userIdentity.accountId`) and
    /// `eventTime`. Most events are CloudTrail records: one pass over the members instead of a lookup per field.
    static func readCloudTrail(_ fields: EventSynthesizer.Fields, into metadata: inout EventMetadata) {
        let found = cloudTrailMembers.values(in: fields.tape, object: fields.object)
        if metadata.eventType == nil, let name = fields.node("", from: found[0]).flatMap(fields.text(of:)) {
            metadata.eventType = name
            metadata.failed = EventOutcome.cloudTrailFailed(
                fields,
                errorCode: found[4],
                errorMessage: found[5],
                containers: (found[6], found[7]),
                eventName: name
            )
        }
        if metadata.region == nil {
            metadata.region = fields.node("", from: found[1]).flatMap(fields.text(of:))
        }
        if metadata.accountID == nil {
            metadata.accountID = fields.node("", from: found[2]).flatMap(fields.text(of:))
                ?? fields["userIdentity.accountId"]
        }
        if metadata.timeMillis == nil, let node = fields.node("", from: found[3]) {
            metadata.timeMillis = time(fields, node: node)
        }
    }
}
