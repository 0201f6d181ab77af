/// One record to send: the exact bytes that go (base64-encoded) into a Firehose `records[].data`, plus where
/// they came from.
public struct EventRecord: Sendable, Hashable {
    /// The record bytes, exactly as extracted from the file.
    public var bytes: [UInt8]
    /// The path of the file the record came from.
    public var file: String
    /// The zero-based position of the record within its file.
    public var index: Int

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - bytes: The record bytes.
    ///   - file: The source file path.
    ///   - index: The position within the file.
    public init(bytes: [UInt8], file: String, index: Int) {
        self.bytes = bytes
        self.file = file
        self.index = index
    }
}

/// The shape of an event file, as detected by ``EventFileReader``.
public enum EventFileKind: String, Sendable, Hashable, CaseIterable {
    /// Newline-delimited JSON: one record per non-blank line.
    case ndjson
    /// A JSON array: one record per element.
    case jsonArray
    /// A CloudTrail delivery file `{"Records":[…]}`: one record per element of `Records`.
    case cloudTrail
    /// A single JSON object: one record.
    case singleObject
    /// A Firehose HTTP endpoint request body `{"requestId",…,"records":[{"data"}]}`: the decoded `data` values.
    case firehoseRequest
    /// A Firehose data-transformation invocation event (or response) `{"records":[{"recordId","data"}]}`:
    /// the decoded `data` values.
    case firehoseTransformation
    /// A fixture "decoded twin" `{"records":[{"data_decoded","data_encoding"}]}`: each `data_decoded`
    /// serialised compactly and re-encoded as `data_encoding` says.
    case decodedFixture
    /// A CloudWatch Logs Lambda event `{"awslogs":{"data":…}}`: the decoded `data` (gzip kept).
    case cloudWatchLogsEvent
}

/// The records read from one file.
public struct EventFile: Sendable, Hashable {
    /// The file path as given or found by the directory walk.
    public var path: String
    /// The detected shape.
    public var kind: EventFileKind
    /// The records, in file order.
    public var records: [EventRecord]

    /// Creates a file result.
    ///
    /// - Parameters:
    ///   - path: The file path.
    ///   - kind: The detected shape.
    ///   - records: The records.
    public init(path: String, kind: EventFileKind, records: [EventRecord]) {
        self.path = path
        self.kind = kind
        self.records = records
    }
}
