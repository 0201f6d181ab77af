/// A decoded Firehose request body: its id, its timestamp and the raw bytes of each record.
public struct FirehoseBatch: Sendable {
    /// The request id (header and body agree).
    public var requestID: String
    /// The body `timestamp` in milliseconds, when it was an integer; informational only.
    public var timestampMillis: Int64?
    /// Each record's base64-decoded bytes, in request order (empty records included).
    public var records: [[UInt8]]

    /// Creates a batch.
    /// - Parameters:
    ///   - requestID: The request id.
    ///   - timestampMillis: The body timestamp in milliseconds, if it was an integer.
    ///   - records: The decoded records.
    public init(requestID: String, timestampMillis: Int64?, records: [[UInt8]]) {
        self.requestID = requestID
        self.timestampMillis = timestampMillis
        self.records = records
    }
}
