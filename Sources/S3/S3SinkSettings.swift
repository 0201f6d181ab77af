import TLS

/// Everything configurable about the S3 sink besides the bucket and prefix, with its defaults; the service
/// configuration holds one (`s3_*` options).
public struct S3SinkSettings: Sendable, Hashable {
    /// Server-side encryption requested for every object.
    public enum Encryption: String, Sendable, Hashable, CaseIterable {
        /// No header: the bucket's default encryption applies (SSE-S3 unless the bucket says otherwise).
        case bucketDefault = "none"
        /// SSE-S3 (`AES256`).
        case s3 = "AES256"
        /// SSE-KMS (`aws:kms`), with ``S3SinkSettings/kmsKeyID`` or the account's `aws/s3` key.
        case kms = "aws:kms"
    }

    /// The region; required for an S3 sink. Default: `nil`.
    public var region: String?
    /// An endpoint replacing AWS's (moto, MinIO, a VPC endpoint URL). Default: `nil` (AWS).
    public var endpoint: String?
    /// How the bucket appears in URLs. Default: ``S3Client/Addressing/automatic``.
    public var addressing: S3Client.Addressing = .automatic
    /// Encryption of every object. Default: ``Encryption/bucketDefault``.
    public var encryption: Encryption = .bucketDefault
    /// The KMS key id, ARN or alias for ``Encryption/kms``. Default: `nil` (`aws/s3`).
    public var kmsKeyID: String?
    /// Whether an S3 Bucket Key is used with KMS; `nil` sends nothing (the bucket's setting). Default: `nil`.
    public var bucketKeyEnabled: Bool?
    /// The account that must own the bucket (`x-amz-expected-bucket-owner`). Default: `nil`.
    public var expectedBucketOwner: String?
    /// Whether `x-amz-acl: bucket-owner-full-control` is sent. Default: `false`.
    public var grantsBucketOwnerFullControl = false
    /// Whether `Content-MD5` is sent with every object and part. Default: `false`.
    public var sendsContentMD5 = false
    /// Objects above this size use multipart upload, in bytes. Default: 67,108,864 (64 MiB).
    public var multipartThresholdBytes = 64 << 20
    /// The multipart part size, in bytes. Default: 8,388,608 (8 MiB).
    public var partSizeBytes = 8 << 20
    /// The time one batch's put may take, retries included, in seconds. Default: 120.
    public var putBudgetSeconds = 120.0
    /// Attempts per request, the first included. Default: 3.
    public var maxAttempts = 3
    /// Objects of one batch uploaded at the same time. Default: 8.
    public var parallelUploads = 8
    /// Connect timeout, and the longest wait for a read or a write to progress, in seconds. Default: 20.
    public var timeoutSeconds = 20.0
    /// A PEM CA bundle replacing the system one (`AWS_CA_BUNDLE`). Default: `nil` (system bundle).
    public var caBundle: String?
    /// The HTTP `CONNECT` proxy for `https` endpoints (`HTTPS_PROXY`). Default: `nil`.
    public var httpsProxy: String?
    /// Hosts that bypass the proxy (`NO_PROXY`). Default: `nil`.
    public var noProxy: String?

    /// The defaults.
    public init() {}

    /// The client configuration these settings describe.
    /// - Returns: The configuration.
    /// - Throws: ``S3Error`` with code `invalidConfiguration` when the region is missing, a KMS key is given
    ///   without KMS encryption, or the proxy URL is malformed.
    public func clientConfiguration() throws(S3Error) -> S3Client.Configuration {
        guard let region = self.region, !region.isEmpty else {
            throw S3Error(.invalidConfiguration, "an S3 sink needs a region (AWS_REGION or s3_region)")
        }
        var configuration = S3Client.Configuration(region: region)
        configuration.endpoint = self.endpoint
        configuration.addressing = self.addressing
        configuration.maxAttempts = self.maxAttempts
        configuration.multipartThreshold = self.multipartThresholdBytes
        configuration.partSize = self.partSizeBytes
        configuration.operationBudget = .milliseconds(Int(self.putBudgetSeconds * 1_000))
        configuration.ioTimeout = .milliseconds(Int(self.timeoutSeconds * 1_000))
        configuration.connectTimeout = min(configuration.ioTimeout, .seconds(10))
        configuration.maxIdleConnections = max(self.parallelUploads, 1)
        var tls = TLSConfiguration()
        if let caBundle = self.caBundle, !caBundle.isEmpty {
            tls.caFilePath = caBundle
        }
        if let proxy = self.httpsProxy, !proxy.isEmpty {
            do {
                tls.proxy = try HTTPProxy(url: proxy, noProxy: self.noProxy ?? "")
            } catch {
                throw S3Error(.invalidConfiguration, "HTTPS proxy: \(error.reason)")
            }
        }
        configuration.tls = tls
        return configuration
    }

    /// The upload options these settings describe (without a content type, which depends on the key).
    /// - Returns: The options.
    /// - Throws: ``S3Error`` with code `invalidConfiguration` when a KMS key or bucket key setting is given
    ///   without KMS encryption.
    public func putOptions() throws(S3Error) -> S3PutOptions {
        var options = S3PutOptions()
        switch self.encryption {
        case .bucketDefault, .s3:
            guard self.kmsKeyID == nil, self.bucketKeyEnabled == nil else {
                throw S3Error(.invalidConfiguration, "a KMS key or bucket key setting needs s3_sse=aws:kms")
            }
            options.serverSideEncryption = self.encryption == .s3 ? .s3 : nil
        case .kms:
            options.serverSideEncryption = .kms(keyID: self.kmsKeyID, bucketKeyEnabled: self.bucketKeyEnabled)
        }
        options.expectedBucketOwner = self.expectedBucketOwner
        options.grantsBucketOwnerFullControl = self.grantsBucketOwnerFullControl
        options.sendsContentMD5 = self.sendsContentMD5
        return options
    }
}
