import JSONBytes

extension FirehoseRequestHead {
    /// The most pairs kept from the common-attributes header (AWS allows 50); more set the malformed flag.
    public static let maximumCommonAttributes = 256

    /// Parses `{"commonAttributes":{"k":"v",…}}` leniently.
    ///
    /// Absent or empty header: no pairs, not malformed. Invalid JSON, a root that is not an object, or a
    /// `commonAttributes` member that is missing or not an object: no pairs, malformed. Members whose value is
    /// not a string are skipped and mark it malformed; the first of duplicate keys wins.
    /// - Parameter header: The header value.
    /// - Returns: The string pairs and whether anything was unusable.
    static func parseCommonAttributes(_ header: String?) -> (pairs: [String: String], malformed: Bool) {
        guard let header, !header.isEmpty else { return ([:], false) }
        guard let tape = try? JSONTape(parsing: Array(header.utf8), limits: JSONLimits(maxDepth: 16)),
            tape.kind(tape.rootIndex) == .object,
            let attributes = tape.value(forKey: "commonAttributes", in: tape.rootIndex),
            tape.kind(attributes) == .object
        else { return ([:], true) }
        var pairs: [String: String] = [:]
        var malformed = false
        for member in tape.members(attributes) {
            guard pairs.count < maximumCommonAttributes, let value = tape.string(member.value),
                let key = tape.string(member.key)
            else {
                malformed = true
                continue
            }
            if pairs[key] == nil { pairs[key] = value }
        }
        return (pairs, malformed)
    }
}
