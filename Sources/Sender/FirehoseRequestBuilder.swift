import Codecs
import JSONBytes

/// Groups records into Firehose requests within the protocol limits and builds each request's headers and body.
///
/// Limits: at most ``Configuration/maxRecordsPerRequest`` records and ``Configuration/maxBatchBytes`` of JSON
/// body (before compression) per request; a record larger than ``Configuration/maxRecordBytes`` is an error.
/// A single record whose request alone exceeds the batch size is sent alone, as Firehose treats buffer sizes as
/// hints.
public struct FirehoseRequestBuilder: Sendable {
    /// What goes into every request.
    public struct Configuration: Sendable {
        /// The largest JSON body before compression, in bytes. Default: 5 MiB (Firehose's default buffer size).
        public var maxBatchBytes: Int
        /// The most records per request. Default: 10,000 (the protocol maximum).
        public var maxRecordsPerRequest: Int
        /// The largest record before base64, in bytes. Default: 1,024,000 (the protocol maximum).
        public var maxRecordBytes: Int
        /// The `X-Amz-Firehose-Source-Arn` value.
        /// Default: `arn:aws:firehose:us-east-1:123456789012:deliverystream/lakemark-send`.
        public var sourceARN: String
        /// The `X-Amz-Firehose-Access-Key` value, or `nil` to omit the header. Default: `nil`.
        public var accessKey: String?
        /// The `X-Amz-Firehose-Common-Attributes` value (compact JSON), or `nil` to omit it. Default: `nil`.
        public var commonAttributes: String?
        /// Whether bodies are gzip-compressed and sent with `Content-Encoding: gzip`. Default: `false`.
        public var gzip: Bool
        /// The `User-Agent` value. Default: `lakemark-send/<SendCommand.version>`.
        public var userAgent: String

        /// The default source ARN.
        public static let defaultSourceARN = "arn:aws:firehose:us-east-1:123456789012:deliverystream/lakemark-send"

        /// Creates a configuration; see the properties for the defaults.
        ///
        /// - Parameters:
        ///   - maxBatchBytes: The largest JSON body before compression, in bytes.
        ///   - maxRecordsPerRequest: The most records per request.
        ///   - maxRecordBytes: The largest record, in bytes.
        ///   - sourceARN: The source ARN header value.
        ///   - accessKey: The access key header value.
        ///   - commonAttributes: The common attributes header value (compact JSON).
        ///   - gzip: Whether to compress bodies.
        ///   - userAgent: The user agent.
        public init(
            maxBatchBytes: Int = 5 * 1_048_576,
            maxRecordsPerRequest: Int = 10_000,
            maxRecordBytes: Int = 1_024_000,
            sourceARN: String = Configuration.defaultSourceARN,
            accessKey: String? = nil,
            commonAttributes: String? = nil,
            gzip: Bool = false,
            userAgent: String = "lakemark-send/\(SendCommand.version)"
        ) {
            self.maxBatchBytes = maxBatchBytes
            self.maxRecordsPerRequest = maxRecordsPerRequest
            self.maxRecordBytes = maxRecordBytes
            self.sourceARN = sourceARN
            self.accessKey = accessKey
            self.commonAttributes = commonAttributes
            self.gzip = gzip
            self.userAgent = userAgent
        }
    }

    /// The configuration.
    public let configuration: Configuration

    /// Bytes of the body around the records, with room for a 20-digit timestamp:
    /// `{"requestId":"<36>","timestamp":<20>,"records":[` and `]}`.
    static let envelopeBytes = 14 + 36 + 14 + 20 + 12 + 2
    /// Bytes around one record's base64 text: `{"data":"` and `"}`.
    static let recordFramingBytes = 11

    /// Creates a builder.
    ///
    /// - Parameter configuration: What goes into every request.
    /// - Throws: ``SenderError`` with code `invalidArgument` when a header value contains control characters
    ///   or the access key is longer than 4,096 bytes.
    public init(configuration: Configuration) throws(SenderError) {
        for (name, value) in [("source ARN", configuration.sourceARN), ("access key", configuration.accessKey ?? "")]
        where value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw SenderError(code: .invalidArgument, message: "the \(name) contains control characters")
        }
        if let key = configuration.accessKey, key.utf8.count > 4_096 {
            throw SenderError(code: .invalidArgument, message: "the access key is longer than 4,096 bytes")
        }
        self.configuration = configuration
    }

    /// Splits records into request-sized groups, in order.
    ///
    /// - Parameter records: All records to send.
    /// - Returns: Index ranges into `records`, one per request.
    /// - Throws: ``SenderError`` with code `recordTooLarge` naming the file and index of the first record larger
    ///   than ``Configuration/maxRecordBytes``.
    public func plan(_ records: [EventRecord]) throws(SenderError) -> [Range<Int>] {
        var batches: [Range<Int>] = []
        var start = 0
        var size = FirehoseRequestBuilder.envelopeBytes
        for (index, record) in records.enumerated() {
            guard record.bytes.count <= configuration.maxRecordBytes else {
                throw SenderError(
                    code: .recordTooLarge,
                    message: "\(record.file): record \(record.index) is \(record.bytes.count) bytes; "
                        + "Firehose allows at most \(configuration.maxRecordBytes) bytes per record"
                )
            }
            let count = index - start
            let cost = FirehoseRequestBuilder.recordFramingBytes + Base64.encodedCount(of: record.bytes.count)
                + (count > 0 ? 1 : 0)
            if count > 0 && (size + cost > configuration.maxBatchBytes || count >= configuration.maxRecordsPerRequest) {
                batches.append(start..<index)
                start = index
                size = FirehoseRequestBuilder.envelopeBytes + cost - 1
            } else {
                size += cost
            }
        }
        if start < records.count {
            batches.append(start..<records.count)
        }
        return batches
    }

    /// Builds one request.
    ///
    /// - Parameters:
    ///   - records: The records of the request (one group from ``plan(_:)``).
    ///   - requestID: The request id. Default: a new random UUID.
    ///   - timestampMillis: The body timestamp, in milliseconds since the Unix epoch.
    /// - Returns: The request with headers and (possibly compressed) body.
    public func makeRequest(
        _ records: ArraySlice<EventRecord>,
        requestID: String = RequestID.make(),
        timestampMillis: Int64
    ) -> FirehoseRequest {
        var recordBytes = 0
        var capacity = FirehoseRequestBuilder.envelopeBytes
        for record in records {
            recordBytes += record.bytes.count
            capacity += FirehoseRequestBuilder.recordFramingBytes + 1 + Base64.encodedCount(of: record.bytes.count)
        }
        var writer = JSONWriter(capacity: capacity)
        writer.appendRaw(#"{"requestId":"#)
        writer.appendString(requestID)
        writer.appendRaw(#","timestamp":"#)
        writer.appendInt(timestampMillis)
        writer.appendRaw(#","records":["#)
        var first = true
        for record in records {
            writer.appendRaw(first ? #"{"data":""# : #",{"data":""#)
            writer.appendRaw(Base64.encode(record.bytes))
            writer.appendRaw(#""}"#)
            first = false
        }
        writer.appendRaw("]}")
        let json = writer.bytes

        var headers: [(String, String)] = [
            ("Content-Type", "application/json"),
            ("User-Agent", configuration.userAgent),
            ("X-Amz-Firehose-Protocol-Version", "1.0"),
            ("X-Amz-Firehose-Request-Id", requestID),
            ("X-Amz-Firehose-Source-Arn", configuration.sourceARN),
        ]
        if let accessKey = configuration.accessKey {
            headers.append(("X-Amz-Firehose-Access-Key", accessKey))
        }
        if let attributes = configuration.commonAttributes {
            headers.append(("X-Amz-Firehose-Common-Attributes", attributes))
        }
        var body = json
        if configuration.gzip {
            headers.append(("Content-Encoding", "gzip"))
            body = Gzip.deflate(json, level: 1)
        }
        return FirehoseRequest(
            requestID: requestID,
            timestampMillis: timestampMillis,
            headers: headers,
            body: body,
            uncompressedBodyCount: json.count,
            recordCount: records.count,
            recordBytes: recordBytes
        )
    }
}
