import AWSSigning
import NetworkTestSupport
import Pipeline
import S3
import Sink
import Testing

/// `LAKEMARK_SINK=s3://…`, the `s3_*` options, the sink factory, and the sink's checks before any request.
@Suite struct S3SinkConfigurationTests {
    private func load(_ environment: [String: String]) throws -> Configuration {
        try ConfigurationLoader.load(path: nil, environment: environment)
    }

    @Test func s3URLsSelectTheS3Sink() throws {
        let configuration = try self.load([
            "LAKEMARK_SINK": "s3://security-lake.eu/raw/lakemark", "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:1",
            "AWS_ENDPOINT_URL_S3": "http://[::1]:9000",
            "LAKEMARK_S3_SSE": "aws:kms", "LAKEMARK_S3_KMS_KEY_ID": "alias/lake", "LAKEMARK_S3_BUCKET_KEY": "true",
            "LAKEMARK_S3_EXPECTED_BUCKET_OWNER": "123456789012", "LAKEMARK_S3_ACL": "bucket-owner-full-control",
            "LAKEMARK_S3_CONTENT_MD5": "yes", "LAKEMARK_S3_ADDRESSING": "path", "AWS_MAX_ATTEMPTS": "5",
            "LAKEMARK_S3_PUT_BUDGET_SECONDS": "90", "LAKEMARK_S3_MULTIPART_THRESHOLD_BYTES": "16777216",
            "HTTPS_PROXY": "http://proxy.internal:3128", "no_proxy": "169.254.169.254",
        ])
        #expect(configuration.sink == .s3(bucket: "security-lake.eu", prefix: "raw/lakemark"))
        #expect(configuration.sink.description == "s3://security-lake.eu/raw/lakemark")
        let s3 = configuration.s3
        #expect(s3.region == "eu-west-1")
        #expect(s3.endpoint == "http://[::1]:9000")
        #expect(s3.encryption == .kms && s3.kmsKeyID == "alias/lake" && s3.bucketKeyEnabled == true)
        #expect(s3.expectedBucketOwner == "123456789012")
        #expect(s3.grantsBucketOwnerFullControl && s3.sendsContentMD5)
        #expect(s3.addressing == .path && s3.maxAttempts == 5 && s3.putBudgetSeconds == 90)
        #expect(s3.multipartThresholdBytes == 16 << 20)
        #expect(s3.httpsProxy == "http://proxy.internal:3128" && s3.noProxy == "169.254.169.254")
        let options = try s3.putOptions()
        #expect(options.serverSideEncryption == .kms(keyID: "alias/lake", bucketKeyEnabled: true))
        let client = try s3.clientConfiguration()
        #expect(client.tls.proxy?.applies(toHost: "169.254.169.254", port: 80) == false)
        #expect(try self.load(["LAKEMARK_SINK": "s3://bucket"]).sink == .s3(bucket: "bucket", prefix: ""))
        #expect(try self.load(["LAKEMARK_SINK": "s3://bucket/"]).sink == .s3(bucket: "bucket", prefix: ""))
    }

    @Test(arguments: [
        ("LAKEMARK_SINK", "s3://ab/x"), ("LAKEMARK_SINK", "s3://-bucket/x"), ("LAKEMARK_SINK", "s3://a..b/x"),
        ("LAKEMARK_SINK", "s3:///x"), ("LAKEMARK_SINK", "gs://bucket/x"), ("LAKEMARK_S3_SSE", "aws:kms:dsse"),
        ("LAKEMARK_S3_EXPECTED_BUCKET_OWNER", "12345"), ("LAKEMARK_S3_ACL", "public-read"),
        ("LAKEMARK_S3_MULTIPART_THRESHOLD_BYTES", "1048576"), ("LAKEMARK_S3_PUT_BUDGET_SECONDS", "300"),
        ("AWS_MAX_ATTEMPTS", "0"), ("LAKEMARK_S3_ADDRESSING", "dns"),
    ])
    func badS3ValuesNameTheirVariable(_ variable: String, _ value: String) {
        let error = #expect(throws: ConfigurationError.self) { try self.load([variable: value]) }
        #expect(error?.description.contains(variable) == true)
    }

    @Test func theFactoryRefusesUnusableS3Settings() throws {
        let factory = SinkFactory(environment: [:])
        var configuration = try self.load(["LAKEMARK_SINK": "s3://bucket/prefix"])
        #expect(throws: ConfigurationError.self) { try factory.makeSink(configuration) }
        configuration.s3.region = "us-east-1"
        let sink = try factory.makeSink(configuration)
        #expect(sink.description.hasPrefix("s3://bucket/prefix/ via https://s3.us-east-1.amazonaws.com:443"))
        configuration.s3.kmsKeyID = "alias/key"
        #expect(throws: ConfigurationError.self) { try factory.makeSink(configuration) }
        configuration.s3.kmsKeyID = nil
        configuration.s3.httpsProxy = "https://proxy:3128"
        #expect(throws: ConfigurationError.self) { try factory.makeSink(configuration) }
        configuration.s3.httpsProxy = nil
        configuration.s3.caBundle = "/nonexistent.pem"
        #expect(throws: ConfigurationError.self) { try factory.makeSink(configuration) }
        let local = try factory.makeSink(try self.load(["LAKEMARK_SINK": "/tmp/lake"]))
        #expect(local is LocalDirectorySink)
    }

    @Test func keysAreCheckedBeforeAnyRequest() throws {
        var configuration = S3Client.Configuration(region: "us-east-1")
        configuration.endpoint = "http://127.0.0.1:9"
        let client = try S3Client(
            configuration: configuration,
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s"))
        )
        let sink = S3Sink(client: client, bucket: "bucket", prefix: "/deep/prefix")
        #expect(sink.prefix == "deep/prefix/")
        let longKey = String(repeating: "k", count: 1_024 - "deep/prefix/".count + 1)
        for keys in [[""], ["/abs"], ["a", "a"], ["tab\there"], [longKey]] {
            let error = #expect(throws: SinkError.self) { try sink.put(keys.map { SinkObject(key: $0, body: []) }) }
            #expect(error?.code == .invalidKey, "\(keys)")
        }
        #expect(client.statistics.requests == 0)
        #expect(S3Sink(client: client, bucket: "bucket", prefix: "").prefix == "")
        #expect(S3Sink.contentType(forKey: "a/b.json.gz") == "application/gzip")
        #expect(S3Sink.contentType(forKey: "a/b.json") == "application/json")
        #expect(S3Sink.contentType(forKey: "a/b") == "application/octet-stream")
    }

    /// A credential chain that cannot produce credentials is not an IAM denial: the batch fails with
    /// `credentialsUnavailable` (its metric label), before anything is sent (the endpoint is a closed port).
    @Test func missingCredentialsAreNotReportedAsAccessDenied() throws {
        struct Unreachable: CredentialProvider {
            struct Failure: Error, CustomStringConvertible {
                var description: String { "the container credentials endpoint refused the connection" }
            }
            func credentials() throws -> AWSCredentials { throw Failure() }
        }
        var configuration = S3Client.Configuration(region: "us-east-1")
        configuration.endpoint = "http://127.0.0.1:1"
        let client = try S3Client(configuration: configuration, credentials: Unreachable())
        let sink = S3Sink(client: client, bucket: "lake", prefix: "p", budget: .seconds(5))
        let error = #expect(throws: SinkError.self) { try sink.put([SinkObject(key: "a/b.json.gz", body: [1])]) }
        #expect(error?.code == .credentialsUnavailable)
        #expect(error?.message.contains("refused the connection") == true)
    }
}
