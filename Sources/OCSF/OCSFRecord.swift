/// One event shredded into the columns of its OCSF class, with what its object key needs.
public struct OCSFRecord: Sendable {
    /// The class id.
    public let classUID: Int
    /// `time`, epoch milliseconds UTC.
    public let timeMillis: Int64
    /// `cloud.region`, when present.
    public let region: String?
    /// `cloud.account.uid`, when present.
    public let accountID: String?
    /// One value per column of the class schema, in ``OCSFClassSchema/columns`` order.
    public var values: [OCSFValue]

    /// Creates a record.
    /// - Parameters:
    ///   - classUID: the class id.
    ///   - timeMillis: the event time.
    ///   - region: the cloud region.
    ///   - accountID: the cloud account.
    ///   - values: the column values.
    public init(classUID: Int, timeMillis: Int64, region: String?, accountID: String?, values: [OCSFValue]) {
        self.classUID = classUID
        self.timeMillis = timeMillis
        self.region = region
        self.accountID = accountID
        self.values = values
    }
}
