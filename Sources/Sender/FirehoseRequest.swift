/// One Firehose HTTP endpoint request, ready to send (and to resend unchanged on retry).
public struct FirehoseRequest: Sendable {
    /// The request id, sent in `X-Amz-Firehose-Request-Id` and in the body's `requestId`.
    public let requestID: String
    /// The body's `timestamp`, in milliseconds since the Unix epoch.
    public let timestampMillis: Int64
    /// The request headers, in sending order (`Content-Length` is left to the transport).
    public let headers: [(String, String)]
    /// The body as sent: JSON, or its gzip compression when `Content-Encoding: gzip` is among the headers.
    public let body: [UInt8]
    /// The size of the JSON body before compression, in bytes.
    public let uncompressedBodyCount: Int
    /// The number of records in the body.
    public let recordCount: Int
    /// The total size of the records before base64, in bytes.
    public let recordBytes: Int

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - requestID: The request id.
    ///   - timestampMillis: The body timestamp.
    ///   - headers: The headers.
    ///   - body: The body as sent.
    ///   - uncompressedBodyCount: The JSON body size.
    ///   - recordCount: The number of records.
    ///   - recordBytes: The record bytes before base64.
    public init(
        requestID: String,
        timestampMillis: Int64,
        headers: [(String, String)],
        body: [UInt8],
        uncompressedBodyCount: Int,
        recordCount: Int,
        recordBytes: Int
    ) {
        self.requestID = requestID
        self.timestampMillis = timestampMillis
        self.headers = headers
        self.body = body
        self.uncompressedBodyCount = uncompressedBodyCount
        self.recordCount = recordCount
        self.recordBytes = recordBytes
    }

    /// The value of a header, matched case-insensitively.
    ///
    /// - Parameter name: The header name.
    /// - Returns: The first value, or `nil`.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.0.lowercased() == wanted }?.1
    }
}
