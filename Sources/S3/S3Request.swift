import AWSSigning
import HTTPCore

/// One S3 API call before signing: it is signed again, with a fresh time, for every attempt.
struct S3Request: Sendable {
    /// The API operation name, for messages (for example `PutObject`).
    var operation: String
    /// The HTTP method.
    var method: HTTPMethod
    /// The bucket.
    var bucket: String
    /// The object key, or `nil` for a bucket-level call.
    var key: String?
    /// Decoded query parameters.
    var query: [(name: String, value: String)] = []
    /// Headers to send and sign (`Host` and the SigV4 headers are added when signing).
    var headers: [(name: String, value: String)] = []
    /// The body.
    var body: [UInt8] = []
    /// The hex SHA-256 of the body.
    var payloadHash: String = SigV4Request.emptyPayloadHash
    /// Whether a 200 answer can still carry an `<Error>` body (CompleteMultipartUpload).
    var mayFailWithSuccessStatus = false
}
