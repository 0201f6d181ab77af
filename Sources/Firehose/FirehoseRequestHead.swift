/// The Firehose-specific request headers, read once and interpreted leniently.
///
/// Nothing here rejects a request: missing or odd values are recorded and the decoder, the access-key check or
/// the caller decide. ``description`` never shows the access key.
public struct FirehoseRequestHead: Sendable, CustomStringConvertible {
    /// The header names Firehose sends (matched case-insensitively by the HTTP layer).
    public enum HeaderName {
        /// The request id, stable across retries (best effort).
        public static let requestID = "X-Amz-Firehose-Request-Id"
        /// The protocol version, currently `1.0`.
        public static let protocolVersion = "X-Amz-Firehose-Protocol-Version"
        /// The delivery stream ARN.
        public static let sourceARN = "X-Amz-Firehose-Source-Arn"
        /// The configured access key, copied verbatim (at most 4096 bytes).
        public static let accessKey = "X-Amz-Firehose-Access-Key"
        /// The stream's "Parameters" as `{"commonAttributes":{…}}`.
        public static let commonAttributes = "X-Amz-Firehose-Common-Attributes"
        /// `gzip` when the stream compresses the body; absent otherwise.
        public static let contentEncoding = "Content-Encoding"
    }

    /// The `X-Amz-Firehose-Request-Id` value, or `nil` when absent or empty.
    public var requestID: String?
    /// The `X-Amz-Firehose-Protocol-Version` value as sent (not validated).
    public var protocolVersion: String?
    /// The `X-Amz-Firehose-Source-Arn` value as sent.
    public var sourceARN: String?
    /// The source ARN's parts, when ``sourceARN`` is well-formed.
    public var sourceARNParts: FirehoseSourceARN?
    /// The `X-Amz-Firehose-Access-Key` value as sent; compare it only through ``AccessKeyVerifier``.
    public var accessKey: String?
    /// Whether the request carried `X-Amz-Firehose-Access-Key` more than once (``accessKey`` is the first); such a
    /// request is refused where keys are checked, since a proxy in front may have judged another of the values.
    public var accessKeyRepeated = false
    /// The string pairs of `X-Amz-Firehose-Common-Attributes`; empty when the header is absent or malformed.
    public var commonAttributes: [String: String]
    /// Whether the common-attributes header was present but not entirely usable (invalid JSON, wrong shape,
    /// non-string values, too many pairs). Usable pairs are still kept.
    public var commonAttributesMalformed: Bool
    /// The `Content-Encoding` value as sent.
    public var contentEncoding: String?

    /// Creates a head from individual header values.
    /// - Parameters:
    ///   - requestID: `X-Amz-Firehose-Request-Id`; empty counts as absent.
    ///   - protocolVersion: `X-Amz-Firehose-Protocol-Version`.
    ///   - sourceARN: `X-Amz-Firehose-Source-Arn`; parsed into ``sourceARNParts`` when well-formed.
    ///   - accessKey: `X-Amz-Firehose-Access-Key`.
    ///   - commonAttributesHeader: `X-Amz-Firehose-Common-Attributes`, parsed leniently.
    ///   - contentEncoding: `Content-Encoding`.
    public init(
        requestID: String? = nil,
        protocolVersion: String? = nil,
        sourceARN: String? = nil,
        accessKey: String? = nil,
        commonAttributesHeader: String? = nil,
        contentEncoding: String? = nil
    ) {
        self.requestID = requestID?.isEmpty == true ? nil : requestID
        self.protocolVersion = protocolVersion
        self.sourceARN = sourceARN
        self.sourceARNParts = sourceARN.flatMap(FirehoseSourceARN.init)
        self.accessKey = accessKey
        let attributes = Self.parseCommonAttributes(commonAttributesHeader)
        self.commonAttributes = attributes.pairs
        self.commonAttributesMalformed = attributes.malformed
        self.contentEncoding = contentEncoding
    }

    /// Creates a head by looking up each Firehose header.
    /// - Parameters:
    ///   - header: Returns the value of a header by name (case-insensitive), or `nil` when absent.
    ///   - accessKeyRepeated: Whether `X-Amz-Firehose-Access-Key` appeared more than once.
    public init(header: (String) -> String?, accessKeyRepeated: Bool = false) {
        self.init(
            requestID: header(HeaderName.requestID),
            protocolVersion: header(HeaderName.protocolVersion),
            sourceARN: header(HeaderName.sourceARN),
            accessKey: header(HeaderName.accessKey),
            commonAttributesHeader: header(HeaderName.commonAttributes),
            contentEncoding: header(HeaderName.contentEncoding)
        )
        self.accessKeyRepeated = accessKeyRepeated
    }

    /// The headers for logs, with the access key replaced by its presence.
    public var description: String {
        let key = accessKey == nil ? "absent" : "present"
        return "requestID=\(requestID ?? "-") protocolVersion=\(protocolVersion ?? "-") "
            + "sourceARN=\(sourceARN ?? "-") accessKey=\(key) commonAttributes=\(commonAttributes.count)"
            + (commonAttributesMalformed ? " (malformed)" : "") + " contentEncoding=\(contentEncoding ?? "-")"
    }
}
