/// The result of signing a request in its query string (a presigned URL).
public struct SigV4PresignedQuery: Sendable {
    /// All query items of the signed request, decoded: the request's own, then the `X-Amz-*` parameters, ending
    /// with `X-Amz-Signature`.
    public let queryItems: [(name: String, value: String)]
    /// The query string to send (without `?`): the canonical query string, then any parameter added after signing
    /// (an unsigned `X-Amz-Security-Token`), then `X-Amz-Signature`.
    public let encodedQuery: String
    /// The signature, 64 lower-case hex digits.
    public let signature: String
    /// The signed header names joined with `;`, the value of `X-Amz-SignedHeaders`.
    public let signedHeaders: String
    /// The value of `X-Amz-Date`.
    public let amzDate: String
    /// `YYYYMMDD/region/service/aws4_request`.
    public let credentialScope: String
    /// The canonical request that was hashed.
    public let canonicalRequest: String
    /// The string that was signed.
    public let stringToSign: String
}
