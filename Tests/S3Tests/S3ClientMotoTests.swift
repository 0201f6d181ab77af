import AWSSigning
import Foundation
import NetworkTestSupport
import S3
import Testing

/// The S3 client against moto with SigV4 verification on: keys, bodies, headers, multipart, errors, TLS.
@Suite(.enabled(if: S3Fixtures.motoIsAvailable, "moto[server] is not installed (scripts/deps.sh test)"))
struct S3ClientMotoTests {
    static let bucket = "lakemark-client"
    static let moto = Result { try MotoServer(buckets: [bucket]) }

    /// Keys with characters moto verifies correctly: spaces, `?`, `#`, `~`, double slashes, long names.
    static let keys = [
        "plain.json.gz",
        "ext/cloudtrail/us-east-1/123456789012/20261204/req-1.json.gz",
        "with space/and?question#hash~tilde.json",
        "double//slash/_under-score.dots..x",
        String(repeating: "long-segment/", count: 70) + "end",
    ]

    @Test func objectsRoundTripByteForByte() throws {
        let moto = try Self.moto.get()
        let client = try S3Fixtures.client(moto)
        var expected: [String: String] = [:]
        for (index, key) in Self.keys.enumerated() {
            let body = S3Fixtures.bytes(1_000 + index * 4_099, seed: UInt64(index))
            let result = try client.putObject(bucket: Self.bucket, key: key, body: body)
            #expect(result.partCount == 0)
            #expect(result.eTag != nil)
            #expect(try client.getObject(bucket: Self.bucket, key: key) == body)
            expected[key] = try S3Fixtures.sha256(body)
        }
        let empty = try client.putObject(bucket: Self.bucket, key: "empty-object", body: [])
        #expect(empty.eTag != nil)
        #expect(try client.getObject(bucket: Self.bucket, key: "empty-object").isEmpty)
        // An independent reader (boto3) sees the same keys and bytes.
        let stored = try moto.objectDigests(bucket: Self.bucket)
        for (key, digest) in expected {
            #expect(stored[key] == digest, "key \(key)")
        }
        #expect(client.statistics.retries == 0)
    }

    @Test func encryptionOwnerACLAndMD5HeadersAreSignedAndAccepted() throws {
        let moto = try Self.moto.get()
        let client = try S3Fixtures.client(moto)
        let variants: [(String, S3PutOptions)] = [
            ("sse-s3", S3PutOptions(contentType: "application/gzip", serverSideEncryption: .s3)),
            (
                "sse-kms",
                S3PutOptions(
                    contentType: "application/json",
                    contentEncoding: "identity",
                    serverSideEncryption: .kms(keyID: "alias/lakemark", bucketKeyEnabled: true),
                    expectedBucketOwner: "123456789012",
                    grantsBucketOwnerFullControl: true,
                    sendsContentMD5: true
                )
            ),
        ]
        for (key, options) in variants {
            try client.putObject(bucket: Self.bucket, key: "headers/\(key)", body: Array(key.utf8), options: options)
        }
        let script = """
            import json, boto3
            endpoint, key_id, secret, bucket = sys.argv[1:5]
            s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key_id,
                              aws_secret_access_key=secret)
            out = {}
            for key in ["headers/sse-s3", "headers/sse-kms"]:
                head = s3.head_object(Bucket=bucket, Key=key)
                out[key] = [head.get("ServerSideEncryption"), head.get("SSEKMSKeyId"), head.get("ContentType")]
            print(json.dumps(out, sort_keys=True))
            """
        let heads = try moto.python(script, [Self.bucket])
        #expect(heads.contains(#""headers/sse-s3": ["AES256", null, "application/gzip"]"#), "\(heads)")
        #expect(heads.contains(#""headers/sse-kms": ["aws:kms", "alias/lakemark", "application/json"]"#), "\(heads)")
    }

    @Test func largeBodiesUseMultipartWithChecksums() throws {
        let moto = try Self.moto.get()
        let client = try S3Fixtures.client(moto) { $0.multipartThreshold = 8 << 20 }
        let body = S3Fixtures.bytes(20 << 20 + 12_345, seed: 20)
        let result = try client.putObject(bucket: Self.bucket, key: "multipart/20MiB.bin", body: body)
        #expect(result.partCount == 3)
        #expect(result.eTag?.hasSuffix("-3\"") == true, "\(String(describing: result.eTag))")
        #expect(try client.getObject(bucket: Self.bucket, key: "multipart/20MiB.bin") == body)
        #expect(client.statistics.abortedUploads == 0)
    }

    @Test func wrongSecretIsRefusedWithoutRetrying() throws {
        let moto = try Self.moto.get()
        var configuration = S3Client.Configuration(region: "us-east-1")
        configuration.endpoint = moto.endpoint
        let wrong = AWSCredentials(accessKeyID: moto.accessKeyID, secretAccessKey: "not-the-secret")
        let client = try S3Client(configuration: configuration, credentials: StaticCredentialProvider(wrong))
        let error = #expect(throws: S3Error.self) {
            try client.putObject(bucket: Self.bucket, key: "denied", body: [1, 2, 3])
        }
        #expect(error?.code == .signatureDoesNotMatch)
        #expect(error?.httpStatus == 403)
        #expect(error?.isAccessDenied == true)
        #expect(error?.description.contains("not-the-secret") == false)
        #expect(client.statistics.requests == 1)
    }

    @Test func missingBucketAndKeyAreReported() throws {
        let moto = try Self.moto.get()
        let client = try S3Fixtures.client(moto)
        try client.headBucket(Self.bucket)
        let noBucket = #expect(throws: S3Error.self) { try client.headBucket("lakemark-absent") }
        #expect(noBucket?.httpStatus == 404)
        let noKey = #expect(throws: S3Error.self) { try client.getObject(bucket: Self.bucket, key: "absent") }
        #expect(noKey?.code == .noSuchKey)
        #expect(noKey?.requestID?.isEmpty == false)
        let put = #expect(throws: S3Error.self) { try client.putObject(bucket: "lakemark-absent", key: "k", body: []) }
        #expect(put?.code == .noSuchBucket)
    }
}

/// Keys moto cannot verify signatures for (`+ = @ , ; $ & ' ( ) ! * % …` and non-ASCII), through the strict
/// botocore verifier: every request's signature, payload hash and checksum are checked, and what boto3 lists
/// afterwards shows the path encoding decodes to the intended key.
@Suite(.enabled(if: S3Fixtures.motoIsAvailable, "moto[server] is not installed (scripts/deps.sh test)"))
struct S3AwkwardKeyTests {
    @Test func everyPrintableCharacterAndUnicodeSurviveTheRoundTrip() throws {
        let moto = try MotoServer(buckets: ["lakemark-keys"], verification: .strictProxy)
        let client = try S3Fixtures.client(moto)
        let punctuation = " !\"#$%&'()*+,-.:;<=>?@[\\]^_`{|}~"
        var keys = punctuation.map { "chars/\($0)" }
        keys += [
            "unicode/ü-é-日本-🦆.json", "mixed/a+b=c@d,e;f$g&h'i(j)k!l*m%20n.json", "trailing/space ",
            "ext/cloudtrail/region=us-east-1/accountId=123456789012/eventDay=20261204/req-1.json.gz",
        ]
        var expected: [String: String] = [:]
        for (index, key) in keys.enumerated() {
            let body = S3Fixtures.bytes(100 + index, seed: UInt64(1_000 + index))
            let options = S3PutOptions(serverSideEncryption: .s3, sendsContentMD5: index % 2 == 0)
            try client.putObject(bucket: "lakemark-keys", key: key, body: body, options: options)
            #expect(try client.getObject(bucket: "lakemark-keys", key: key) == body, "key \(key)")
            expected[key] = try S3Fixtures.sha256(body)
        }
        #expect(try moto.objectDigests(bucket: "lakemark-keys") == expected)
        // The verifier is not lenient: another secret is refused.
        var configuration = S3Client.Configuration(region: "us-east-1")
        configuration.endpoint = moto.endpoint
        let wrong = AWSCredentials(accessKeyID: moto.accessKeyID, secretAccessKey: "wrong")
        let stranger = try S3Client(configuration: configuration, credentials: StaticCredentialProvider(wrong))
        let error = #expect(throws: S3Error.self) {
            try stranger.putObject(bucket: "lakemark-keys", key: "x=1", body: [])
        }
        #expect(error?.code == .signatureDoesNotMatch)
        #expect(error?.message.hasPrefix("verifier:") == true)
    }
}

/// The client over TLS: moto serving HTTPS with the test PKI's certificate.
@Suite(.enabled(if: S3Fixtures.motoIsAvailable, "moto[server] is not installed (scripts/deps.sh test)"))
struct S3OverTLSTests {
    @Test func putAndGetOverVerifiedTLS() throws {
        let pki = try TestCertificates()
        let moto = try MotoServer(buckets: ["lakemark-tls"], certificates: pki)
        let client = try S3Fixtures.client(moto)
        for index in 0..<3 {
            let body = S3Fixtures.bytes(70_000 * (index + 1), seed: UInt64(index))
            try client.putObject(bucket: "lakemark-tls", key: "tls/\(index)", body: body)
            #expect(try client.getObject(bucket: "lakemark-tls", key: "tls/\(index)") == body)
        }
        var untrusted = S3Client.Configuration(region: "us-east-1")
        untrusted.endpoint = moto.endpoint
        let stranger = try S3Client(configuration: untrusted, credentials: S3Fixtures.credentials(moto))
        let error = #expect(throws: S3Error.self) { try stranger.putObject(bucket: "lakemark-tls", key: "x", body: []) }
        #expect(error?.code == .connectionFailed)
        #expect(error?.message.contains("tls.verificationFailed") == true, "\(String(describing: error))")
    }
}
