import ServiceSupport

/// The Security Lake partition of one record: its class (which selects the source location), the lake region,
/// the account and the UTC day of the record's time.
public struct SecurityLakePartition: Sendable, Hashable, Comparable {
    /// The OCSF class id.
    public var classUID: Int
    /// The `region=` value.
    public var region: String
    /// The `accountId=` value (`external` for records of no AWS account).
    public var accountID: String
    /// The `eventDay=` value, `YYYYMMDD` UTC.
    public var eventDay: String

    /// Creates a partition, each value made safe for a key segment.
    /// - Parameters:
    ///   - classUID: the class id.
    ///   - region: the region, or `nil` for `unknown`.
    ///   - accountID: the account, or `nil` for `external`.
    ///   - timeMillis: the record time.
    public init(classUID: Int, region: String?, accountID: String?, timeMillis: Int64) {
        self.classUID = classUID
        self.region = ObjectKeyBuilder.safeSegment(region ?? ObjectKeyBuilder.unknown)
        self.accountID = ObjectKeyBuilder.safeSegment(accountID ?? "external")
        self.eventDay = UTCTime.compactDate(millis: timeMillis)
    }

    /// Orders by class, region, account and day.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.classUID, lhs.region, lhs.accountID, lhs.eventDay) < (
            rhs.classUID, rhs.region, rhs.accountID, rhs.eventDay
        )
    }

    /// The object key: `<prefix>region=<r>/accountId=<a>/eventDay=<d>/<name>.parquet`.
    /// - Parameters:
    ///   - prefix: the class's key prefix (ends in `/`).
    ///   - name: the object name without extension.
    /// - Returns: the key.
    public func key(prefix: String, name: String) -> String {
        "\(prefix)region=\(region)/accountId=\(accountID)/eventDay=\(eventDay)/\(name).parquet"
    }

    /// A path of directory names identifying the partition (`<class>/<region>/<account>/<day>`), for the spool.
    public var spoolPath: String { "\(classUID)/\(region)/\(accountID)/\(eventDay)" }
}

extension SecurityLakePartition {
    /// A partition read back from its ``spoolPath``.
    /// - Parameter spoolPath: `<class>/<region>/<account>/<day>`.
    /// - Returns: the partition, or `nil` when the path is not one.
    init?(spoolPath: String) {
        let parts = spoolPath.split(separator: "/").map(String.init)
        guard parts.count == 4, let uid = Int(parts[0]), parts[3].count == 8 else { return nil }
        self.classUID = uid
        self.region = parts[1]
        self.accountID = parts[2]
        self.eventDay = parts[3]
    }
}
