import ServiceSupport

/// Names the objects of a batch:
/// `ext/<source>/region=<region>/accountId=<account>/eventDay=<YYYYMMDD>/<requestId>-<n>.json.gz`.
///
/// Names depend only on the request id and the batch's partitions, so a Firehose retry of the same request
/// overwrites the same objects instead of duplicating them.
public struct ObjectKeyBuilder: Sendable {
    /// The partition of one object.
    public struct Partition: Sendable, Hashable, Comparable {
        /// The `<source>` segment.
        public var source: String
        /// The `region=` value.
        public var region: String
        /// The `accountId=` value.
        public var accountID: String
        /// The `eventDay=` value, `YYYYMMDD` in UTC.
        public var eventDay: String

        /// Orders partitions by their key text, so numbering is deterministic: source, region, account, day, each
        /// compared byte by byte (the values are path-safe ASCII, where that is also `String`'s order).
        public static func < (lhs: Partition, rhs: Partition) -> Bool {
            if let order = precedes(lhs.source, rhs.source) { return order }
            if let order = precedes(lhs.region, rhs.region) { return order }
            if let order = precedes(lhs.accountID, rhs.accountID) { return order }
            return precedes(lhs.eventDay, rhs.eventDay) ?? false
        }

        /// Whether `lhs` comes before `rhs` in byte order; `nil` when they are equal.
        private static func precedes(_ lhs: String, _ rhs: String) -> Bool? {
            lhs == rhs ? nil : lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
        }
    }

    /// Used where an event and the request both lack a value.
    public static let unknown = "unknown"

    /// Creates a builder.
    public init() {}

    /// The partition of one event, each value made safe for a path segment.
    /// - Parameters:
    ///   - source: the source name.
    ///   - region: the event's region, else the stream's.
    ///   - accountID: the event's account, else the stream's.
    ///   - timeMillis: the event time, else the request time.
    /// - Returns: the partition.
    public func partition(source: String, region: String?, accountID: String?, timeMillis: Int64) -> Partition {
        Partition(
            source: Self.safeSegment(source),
            region: Self.safeSegment(region ?? Self.unknown),
            accountID: Self.safeSegment(accountID ?? Self.unknown),
            eventDay: UTCTime.compactDate(millis: timeMillis)
        )
    }

    /// The object key of the `index`-th partition (in sorted order) of a request.
    /// - Parameters:
    ///   - partition: the partition.
    ///   - requestID: the Firehose request id.
    ///   - index: the partition's position among the batch's sorted partitions.
    ///   - fileExtension: `json.gz`.
    /// - Returns: the relative key.
    public func key(
        for partition: Partition,
        requestID: String,
        index: Int,
        fileExtension: String = "json.gz"
    ) -> String {
        Self.key(for: partition, objectName: Self.objectName(requestID), index: index, fileExtension: fileExtension)
    }

    /// The object keys of a request's partitions (in sorted order), as ``key(for:requestID:index:fileExtension:)``
    /// names each.
    /// - Parameters:
    ///   - partitions: the partitions, sorted.
    ///   - requestID: the Firehose request id.
    ///   - fileExtension: `json.gz` or `json.zst`.
    /// - Returns: the relative keys, in the same order.
    public func keys(for partitions: [Partition], requestID: String, fileExtension: String) -> [String] {
        let name = Self.objectName(requestID)
        return partitions.indices.map { index in
            Self.key(for: partitions[index], objectName: name, index: index, fileExtension: fileExtension)
        }
    }

    private static func key(for partition: Partition, objectName: String, index: Int, fileExtension: String) -> String {
        "ext/\(partition.source)/region=\(partition.region)/accountId=\(partition.accountID)"
            + "/eventDay=\(partition.eventDay)/\(objectName)-\(index).\(fileExtension)"
    }

    /// The request-id part of an object name: the id itself when it is a safe segment (Firehose sends UUIDs);
    /// otherwise a safe prefix plus a 64-bit FNV-1a hash of the raw id, so distinct ids never share an object. A
    /// safe id that ends like such a name (`-` and 16 hex digits) is hashed too, so it cannot be chosen to
    /// overwrite the objects of the id it imitates.
    static func objectName(_ requestID: String) -> String {
        let startsPlainly = requestID.utf8.first.map { $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "-") } ?? false
        if startsPlainly && isSafeSegment(requestID) && requestID.utf8.count <= 40 && !endsLikeAHashedName(requestID) {
            return requestID
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in requestID.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let digits = String(hash, radix: 16)
        var prefix = Array(safeSegment(String(decoding: requestID.utf8.prefix(40), as: UTF8.self)).utf8)
        // Never a hidden name (`.tmp-` is the sink's, `..` a path) nor one that reads like an option.
        for index in prefix.indices where prefix[index] == UInt8(ascii: ".") || prefix[index] == UInt8(ascii: "-") {
            guard index == 0 || prefix[index - 1] == UInt8(ascii: "_") else { break }
            prefix[index] = UInt8(ascii: "_")
        }
        return String(decoding: prefix, as: UTF8.self) + "-" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Whether a name ends with `-` and 16 lowercase hex digits, as ``objectName(_:)`` writes hashed names.
    private static func endsLikeAHashedName(_ name: String) -> Bool {
        let bytes = Array(name.utf8.suffix(17))
        guard bytes.count == 17, bytes[0] == UInt8(ascii: "-") else { return false }
        return bytes.dropFirst().allSatisfy {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
        }
    }

    /// Whether a text may be used as a path segment unchanged: 1–64 of `A–Z a–z 0–9 . _ -`, not `.` or `..`.
    public static func isSafeSegment(_ text: String) -> Bool {
        var text = text
        // One pass over contiguous bytes: this runs for every value of every event's partition.
        return text.withUTF8 { bytes in
            guard !bytes.isEmpty, bytes.count <= 64 else { return false }
            if bytes.count <= 2, bytes.allSatisfy({ $0 == UInt8(ascii: ".") }) { return false }
            for byte in bytes where !isSafeByte(byte) { return false }
            return true
        }
    }

    /// A path-safe form of any text: unsafe bytes become `_`, at most 64 bytes, never empty, `.` or `..`.
    public static func safeSegment(_ text: String) -> String {
        if isSafeSegment(text) { return text }
        var bytes = Array(text.utf8.prefix(64)).map { isSafeByte($0) ? $0 : UInt8(ascii: "_") }
        if bytes.isEmpty || bytes.allSatisfy({ $0 == UInt8(ascii: ".") }) { bytes = Array(unknown.utf8) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isSafeByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
