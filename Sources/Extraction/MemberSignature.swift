import JSONBytes

/// Which of the member names that identify event families an object has, found in one pass over its
/// members with names compared ignoring ASCII case.
struct MemberSignature {
    /// A characteristic member name.
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

    /// Lower-case names and the key each sets, grouped by byte length for a quick first filter.
    private static let table: [[(name: [UInt8], key: Key)]] = {
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
        var table = [[(name: [UInt8], key: Key)]](repeating: [], count: 17)
        for (name, key) in names { table[name.utf8.count].append((Array(name.utf8), key)) }
        return table
    }()

    private var keys: Key = []

    /// Scans the members of `object` once.
    init(_ tape: JSONTape, object: Int) {
        tape.source.withUnsafeBufferPointer { source in
            for (keyNode, _) in tape.members(object) {
                let range = tape.byteRange(keyNode)
                let length = range.count - 2
                guard length < Self.table.count, !Self.table[length].isEmpty, !tape.hasEscapes(keyNode) else {
                    continue
                }
                let start = range.lowerBound + 1
                for entry in Self.table[length] where asciiFoldedEqual(source, start, entry.name) {
                    keys.insert(entry.key)
                    break
                }
            }
        }
    }

    /// Whether the object has a member of that name.
    func contains(_ key: Key) -> Bool { keys.contains(key) }
}
