import JSONBytes

/// Which of the member names that identify event families an object has, found in one pass over its
/// members with names compared ignoring ASCII case.
struct MemberSignature {
    /// A characteristic member name, as one bit.
    struct Key: OptionSet {
        let rawValue: UInt64

        static let classUID = Key(rawValue: 1 << 0)
        static let categoryUID = Key(rawValue: 1 << 1)
        static let metadata = Key(rawValue: 1 << 2)
        static let raw = Key(rawValue: 1 << 3)
        static let rawBase64 = Key(rawValue: 1 << 4)
        static let eventSource = Key(rawValue: 1 << 5)
        static let eventName = Key(rawValue: 1 << 6)
        static let eventVersion = Key(rawValue: 1 << 7)
        static let awsRegion = Key(rawValue: 1 << 8)
        static let source = Key(rawValue: 1 << 9)
        static let detailType = Key(rawValue: 1 << 10)
        static let schemaVersion = Key(rawValue: 1 << 11)
        static let productARN = Key(rawValue: 1 << 12)
        static let awsAccountID = Key(rawValue: 1 << 13)
        static let type = Key(rawValue: 1 << 14)
        static let severity = Key(rawValue: 1 << 15)
        static let service = Key(rawValue: 1 << 16)
        static let accountID = Key(rawValue: 1 << 17)
        static let eventType = Key(rawValue: 1 << 18)
        static let displayMessage = Key(rawValue: 1 << 19)
        static let actor = Key(rawValue: 1 << 20)
        static let protoPayload = Key(rawValue: 1 << 21)
        static let logName = Key(rawValue: 1 << 22)
        static let operationName = Key(rawValue: 1 << 23)
        static let resourceID = Key(rawValue: 1 << 24)
        static let category = Key(rawValue: 1 << 25)
        static let tenantID = Key(rawValue: 1 << 26)
        static let kind = Key(rawValue: 1 << 27)
        static let apiVersion = Key(rawValue: 1 << 28)
        static let sourceAddress = Key(rawValue: 1 << 29)
        static let interfaceID = Key(rawValue: 1 << 30)
    }

    /// Lower-case names and the key each sets.
    private static let table: JSONMemberNameTable = {
        let names: [(String, Key)] = [
            ("class_uid", .classUID), ("category_uid", .categoryUID), ("metadata", .metadata), ("_raw", .raw),
            ("_raw_base64", .rawBase64), ("eventsource", .eventSource), ("eventname", .eventName),
            ("eventversion", .eventVersion), ("awsregion", .awsRegion), ("source", .source),
            ("detail-type", .detailType), ("schemaversion", .schemaVersion), ("productarn", .productARN),
            ("awsaccountid", .awsAccountID), ("type", .type), ("severity", .severity), ("service", .service),
            ("accountid", .accountID), ("eventtype", .eventType), ("displaymessage", .displayMessage),
            ("actor", .actor), ("protopayload", .protoPayload), ("logname", .logName),
            ("operationname", .operationName), ("resourceid", .resourceID), ("category", .category),
            ("tenantid", .tenantID), ("kind", .kind), ("apiversion", .apiVersion), ("srcaddr", .sourceAddress),
            ("srcaddress", .sourceAddress), ("interface-id", .interfaceID), ("interfaceid", .interfaceID),
        ]
        return JSONMemberNameTable(names.map { (Array($0.0.utf8), $0.1.rawValue) })
    }()

    private var keys: Key = []

    /// Scans the members of `object` once (escaped member names are not matched).
    init(_ tape: JSONTape, object: Int) {
        keys = Key(rawValue: Self.table.bits(ofMembersOf: object, in: tape, escapedBits: 0))
    }

    /// Whether the object has a member of that name.
    func contains(_ key: Key) -> Bool { keys.contains(key) }
}
