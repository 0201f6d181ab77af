import Extraction
import S3

extension ConfigurationOption {
    /// The S3 sink's options (`s3_*`), spliced into ``all`` after `sink`.
    static let s3Options: [ConfigurationOption] = [
        .init(
            "s3_role_arn",
            ["LAKEMARK_S3_ROLE_ARN"],
            "(none)",
            "IAM role ARN",
            "Role assumed (STS AssumeRole, refreshed ahead of expiry) to write to S3, "
                + "e.g. Security Lake's provider role."
        ) {
            let arn = try string($1, key: "s3_role_arn")
            guard isRoleARN(arn) else {
                throw ConfigurationError(
                    .invalidValue,
                    key: "s3_role_arn",
                    "expected arn:aws:iam::<12-digit account>:role/<name>"
                )
            }
            $0.s3RoleARN = arn
        },
        .init(
            "s3_role_external_id",
            ["LAKEMARK_S3_ROLE_EXTERNAL_ID"],
            "(none)",
            "string",
            "External id the assumed role's trust policy requires."
        ) {
            $0.s3RoleExternalID = try string($1, key: "s3_role_external_id")
        },
        .init("s3_region", ["AWS_DEFAULT_REGION", "AWS_REGION"], "(none)", "AWS region", "Region of the S3 bucket.") {
            let region = try string($1, key: "s3_region")
            guard region.isEmpty || S3Client.isUsableRegion(region) else {
                throw ConfigurationError(.invalidValue, key: "s3_region", "expected a region name such as us-east-1")
            }
            $0.s3.region = region
        },
        .init(
            "s3_endpoint",
            ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"],
            "(AWS)",
            "http(s) URL",
            "S3 endpoint replacing AWS's (moto, MinIO, VPC endpoint); buckets are then addressed path-style."
        ) {
            $0.s3.endpoint = try string($1, key: "s3_endpoint")
        },
        .init(
            "s3_addressing",
            ["LAKEMARK_S3_ADDRESSING"],
            "automatic",
            "automatic, virtualHosted, path",
            "Bucket in the host name (AWS default) or in the path (custom endpoints, dotted bucket names)."
        ) {
            let text = try string($1, key: "s3_addressing")
            guard let addressing = S3Client.Addressing(rawValue: text) else {
                throw ConfigurationError(.invalidValue, key: "s3_addressing", "automatic, virtualHosted or path")
            }
            $0.s3.addressing = addressing
        },
        .init(
            "s3_sse",
            ["LAKEMARK_S3_SSE"],
            "none",
            "none, AES256, aws:kms",
            "Server-side encryption requested per object; none leaves it to the bucket's default."
        ) {
            let text = try string($1, key: "s3_sse")
            guard let encryption = S3SinkSettings.Encryption(rawValue: text) else {
                throw ConfigurationError(.invalidValue, key: "s3_sse", "none, AES256 or aws:kms")
            }
            $0.s3.encryption = encryption
        },
        .init(
            "s3_kms_key_id",
            ["LAKEMARK_S3_KMS_KEY_ID"],
            "(aws/s3)",
            "KMS key id, ARN or alias",
            "KMS key for s3_sse=aws:kms (a key of another account needs its ARN)."
        ) {
            $0.s3.kmsKeyID = try string($1, key: "s3_kms_key_id")
        },
        .init(
            "s3_bucket_key",
            ["LAKEMARK_S3_BUCKET_KEY"],
            "(bucket setting)",
            "true or false",
            "Use an S3 Bucket Key with SSE-KMS (fewer KMS calls)."
        ) {
            $0.s3.bucketKeyEnabled = try bool($1, key: "s3_bucket_key")
        },
        .init(
            "s3_expected_bucket_owner",
            ["LAKEMARK_S3_EXPECTED_BUCKET_OWNER"],
            "(none)",
            "12-digit account id",
            "S3 refuses every request (403) when another account owns the bucket."
        ) {
            let owner = try string($1, key: "s3_expected_bucket_owner")
            guard owner.count == 12, owner.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw ConfigurationError(.invalidValue, key: "s3_expected_bucket_owner", "a 12-digit account id")
            }
            $0.s3.expectedBucketOwner = owner
        },
        .init(
            "s3_acl",
            ["LAKEMARK_S3_ACL"],
            "none",
            "none, bucket-owner-full-control",
            "Canned ACL sent with each object (for buckets of another account that still use ACLs)."
        ) {
            switch try string($1, key: "s3_acl") {
            case "none": $0.s3.grantsBucketOwnerFullControl = false
            case "bucket-owner-full-control": $0.s3.grantsBucketOwnerFullControl = true
            default: throw ConfigurationError(.invalidValue, key: "s3_acl", "none or bucket-owner-full-control")
            }
        },
        .init(
            "s3_content_md5",
            ["LAKEMARK_S3_CONTENT_MD5"],
            "false",
            "true or false",
            "Also send Content-MD5 with each object and part (Object Lock set-ups that demand it)."
        ) {
            $0.s3.sendsContentMD5 = try bool($1, key: "s3_content_md5")
        },
        .init(
            "s3_multipart_threshold_bytes",
            ["LAKEMARK_S3_MULTIPART_THRESHOLD_BYTES"],
            "67108864",
            "bytes (8 MiB-5 GiB)",
            "Objects larger than this are sent as multipart uploads."
        ) {
            $0.s3.multipartThresholdBytes = try int($1, key: "s3_multipart_threshold_bytes", in: 8 << 20...5 << 30)
        },
        .init(
            "s3_part_size_bytes",
            ["LAKEMARK_S3_PART_SIZE_BYTES"],
            "8388608",
            "bytes (8 MiB-5 GiB)",
            "Size of each multipart part but the last."
        ) {
            $0.s3.partSizeBytes = try int($1, key: "s3_part_size_bytes", in: 8 << 20...5 << 30)
        },
        .init(
            "s3_put_budget_seconds",
            ["LAKEMARK_S3_PUT_BUDGET_SECONDS"],
            "120",
            "seconds (1-170)",
            "Longest time one batch's upload may take, retries included, before Firehose gets a 503."
        ) {
            $0.s3.putBudgetSeconds = try double($1, key: "s3_put_budget_seconds", in: 1...170)
        },
        .init(
            "s3_max_attempts",
            ["AWS_MAX_ATTEMPTS", "LAKEMARK_S3_MAX_ATTEMPTS"],
            "3",
            "1-10",
            "Attempts per S3 request (standard retry mode with jittered backoff and a retry quota)."
        ) {
            $0.s3.maxAttempts = try int($1, key: "s3_max_attempts", in: 1...10)
        },
        .init(
            "s3_parallel_uploads",
            ["LAKEMARK_S3_PARALLEL_UPLOADS"],
            "8",
            "1-64",
            "Objects of one batch uploaded at the same time."
        ) {
            $0.s3.parallelUploads = try int($1, key: "s3_parallel_uploads", in: 1...64)
        },
        .init(
            "s3_timeout_seconds",
            ["LAKEMARK_S3_TIMEOUT_SECONDS"],
            "20",
            "seconds (0.1-120)",
            "S3 connect timeout (at most 10 s) and the longest wait for a read or write to progress."
        ) {
            $0.s3.timeoutSeconds = try double($1, key: "s3_timeout_seconds", in: 0.1...120)
        },
        .init(
            "s3_ca_bundle",
            ["AWS_CA_BUNDLE"],
            "(system bundle)",
            "PEM file",
            "CA certificates trusted for https S3 endpoints instead of /etc/ssl/certs/ca-certificates.crt."
        ) {
            $0.s3.caBundle = try string($1, key: "s3_ca_bundle")
        },
        .init(
            "https_proxy",
            ["HTTPS_PROXY", "https_proxy"],
            "(none)",
            "http://[user:password@]host:port",
            "Proxy that https S3 connections are tunnelled through with CONNECT."
        ) {
            $0.s3.httpsProxy = try string($1, key: "https_proxy")
        },
        .init(
            "no_proxy",
            ["NO_PROXY", "no_proxy"],
            "(none)",
            "comma-separated hosts, .domains, IPs, CIDRs or *",
            "Hosts reached without the proxy."
        ) {
            $0.s3.noProxy = try string($1, key: "no_proxy")
        },
    ]
}
