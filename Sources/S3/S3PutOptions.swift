/// Headers of an object upload besides the body's own: type, encoding, encryption, ownership checks, ACL and
/// integrity. Every `x-amz-*` header set here is signed.
public struct S3PutOptions: Sendable, Hashable {
    /// Server-side encryption requested for the object.
    public enum ServerSideEncryption: Sendable, Hashable {
        /// SSE-S3: `x-amz-server-side-encryption: AES256`.
        case s3
        /// SSE-KMS: `aws:kms`, with a key id, ARN or alias (`nil`: the account's `aws/s3` key), and whether an
        /// S3 Bucket Key is used (`nil`: the bucket's setting).
        case kms(keyID: String?, bucketKeyEnabled: Bool?)
    }

    /// `Content-Type`; `nil` leaves it out (S3 then stores `binary/octet-stream`). Default: `nil`.
    public var contentType: String?
    /// `Content-Encoding`; `nil` leaves it out. Default: `nil`.
    public var contentEncoding: String?
    /// Encryption; `nil` applies the bucket's default encryption. Default: `nil`.
    public var serverSideEncryption: ServerSideEncryption?
    /// `x-amz-expected-bucket-owner` (a 12-digit account id): S3 refuses with 403 when the bucket belongs to
    /// another account; sent on every request of the upload. Default: `nil`.
    public var expectedBucketOwner: String?
    /// Whether `x-amz-acl: bucket-owner-full-control` is sent (for buckets of another account that still use
    /// ACLs). Default: `false`.
    public var grantsBucketOwnerFullControl: Bool
    /// Whether `Content-MD5` is sent as well as the SHA-256 checksum (some Object Lock set-ups and older
    /// S3-compatible stores want it). Default: `false`.
    public var sendsContentMD5: Bool

    /// Creates options.
    /// - Parameters:
    ///   - contentType: `Content-Type`, or `nil` (the default).
    ///   - contentEncoding: `Content-Encoding`, or `nil` (the default).
    ///   - serverSideEncryption: Encryption, or `nil` (the default) for the bucket's default.
    ///   - expectedBucketOwner: The expected owner account, or `nil` (the default).
    ///   - grantsBucketOwnerFullControl: Whether to send the `bucket-owner-full-control` ACL. Default: `false`.
    ///   - sendsContentMD5: Whether to send `Content-MD5`. Default: `false`.
    public init(
        contentType: String? = nil,
        contentEncoding: String? = nil,
        serverSideEncryption: ServerSideEncryption? = nil,
        expectedBucketOwner: String? = nil,
        grantsBucketOwnerFullControl: Bool = false,
        sendsContentMD5: Bool = false
    ) {
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.serverSideEncryption = serverSideEncryption
        self.expectedBucketOwner = expectedBucketOwner
        self.grantsBucketOwnerFullControl = grantsBucketOwnerFullControl
        self.sendsContentMD5 = sendsContentMD5
    }

    /// The headers describing the object (`PutObject` and `CreateMultipartUpload`).
    var objectHeaders: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        if let contentType = self.contentType {
            headers.append(("Content-Type", contentType))
        }
        if let contentEncoding = self.contentEncoding {
            headers.append(("Content-Encoding", contentEncoding))
        }
        switch self.serverSideEncryption {
        case .s3:
            headers.append(("x-amz-server-side-encryption", "AES256"))
        case .kms(let keyID, let bucketKeyEnabled):
            headers.append(("x-amz-server-side-encryption", "aws:kms"))
            if let keyID {
                headers.append(("x-amz-server-side-encryption-aws-kms-key-id", keyID))
            }
            if let bucketKeyEnabled {
                headers.append(("x-amz-server-side-encryption-bucket-key-enabled", bucketKeyEnabled ? "true" : "false"))
            }
        case nil:
            break
        }
        if self.grantsBucketOwnerFullControl {
            headers.append(("x-amz-acl", "bucket-owner-full-control"))
        }
        return headers + self.requestHeaders
    }

    /// The headers every request of an upload carries (`x-amz-expected-bucket-owner`).
    var requestHeaders: [(name: String, value: String)] {
        self.expectedBucketOwner.map { [("x-amz-expected-bucket-owner", $0)] } ?? []
    }
}
