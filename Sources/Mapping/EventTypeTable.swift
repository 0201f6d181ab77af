/// The lower-cased event types of one source (`event_priors.tsv`), found by their bytes: recognising the types a
/// text names looks up a few tokens per text, so a lookup builds no string unless it finds a type.
struct EventTypeTable: Sendable {
    /// The event family (`cloudtrail`, `guardduty`, `okta`, `k8s-audit`, `gcp-audit`, `azure-activity`).
    let source: String
    /// Types longer than this are never looked up: the longest known one has under 100 bytes, and the candidates of a
    /// type (its prefixes or endings) cost time, and outside ASCII memory, that grows with the square of its length.
    static let maximumTypeBytes = 512
    private var types = ByteStringTable(capacity: 64)
    private var keys: [String] = []

    /// Creates the table of a source.
    /// - Parameters:
    ///   - source: The event family.
    ///   - types: Its lower-cased types.
    init(source: String, types: some Sequence<String>) {
        self.source = source
        for type in types {
            var type = type
            let inserted = type.withUTF8 { self.types.insert($0).inserted }
            if inserted {
                keys.append(EventPriors.key(source: source, type: type))
            }
        }
    }

    /// The key (``EventPriors/key(source:type:)``) of the most specific known type an event type may be written as
    /// (``EventPriors/candidates(source:type:)``), or nil.
    /// - Parameter type: The event type as the event spells it.
    /// - Returns: The key, or nil when no candidate is known.
    func key(of type: UnsafeBufferPointer<UInt8>) -> String? {
        guard type.count <= EventTypeTable.maximumTypeBytes else {
            return nil
        }
        guard type.allSatisfy({ $0 < 0x80 }) else {
            // Unicode lower-casing and character boundaries are the standard library's.
            for var candidate in EventPriors.candidates(source: source, type: String(decoding: type, as: UTF8.self)) {
                if let id = candidate.withUTF8({ types.find($0) }) {
                    return keys[Int(id)]
                }
            }
            return nil
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: type.count) { lowered in
            for (i, byte) in type.enumerated() {
                lowered[i] = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
            }
            return key(lowercased: UnsafeBufferPointer(lowered))
        }
    }

    private func key(lowercased type: UnsafeBufferPointer<UInt8>) -> String? {
        var found: String?
        EventPriors.forEachCandidate(source: source, lowercased: type) { candidate in
            guard let id = types.find(candidate) else {
                return true
            }
            found = keys[Int(id)]
            return false
        }
        return found
    }
}
