/// The result of signing a request in its `Authorization` header.
public struct SigV4Signature: Sendable {
    /// The headers to add to the request, in this order: `X-Amz-Date`, `X-Amz-Content-Sha256` (when the options
    /// ask for it), `X-Amz-Security-Token` (when the credentials carry a token), `Authorization`.
    public let headers: [(name: String, value: String)]
    /// The value of the `Authorization` header.
    public let authorization: String
    /// The signature, 64 lower-case hex digits.
    public let signature: String
    /// The signed header names joined with `;`, as in `Authorization`.
    public let signedHeaders: String
    /// The value of `X-Amz-Date`.
    public let amzDate: String
    /// `YYYYMMDD/region/service/aws4_request`.
    public let credentialScope: String
    /// The canonical request that was hashed (for tests and for comparing with S3's `SignatureDoesNotMatch` body).
    public let canonicalRequest: String
    /// The string that was signed.
    public let stringToSign: String
}
