import Testing

@testable import S3

/// Where requests go: virtual-hosted and path-style URLs, custom endpoints, the `Host` header.
@Suite struct S3EndpointTests {
    private func location(
        _ endpoint: String?,
        _ addressing: S3Client.Addressing = .automatic,
        region: String = "eu-west-1",
        bucket: String,
        key: String?
    ) throws -> S3Endpoint.Location {
        var configuration = S3Client.Configuration(region: region)
        configuration.endpoint = endpoint
        configuration.addressing = addressing
        return try S3Endpoint(configuration).location(bucket: bucket, key: key)
    }

    @Test func awsUsesVirtualHostsForDNSLabelBuckets() throws {
        let object = try self.location(nil, bucket: "lake-bucket", key: "ext/a b+c/région=x.json.gz")
        #expect(object.host == "lake-bucket.s3.eu-west-1.amazonaws.com")
        #expect(object.port == 443)
        #expect(object.hostHeader == "lake-bucket.s3.eu-west-1.amazonaws.com")
        #expect(object.path == "/ext/a%20b%2Bc/r%C3%A9gion%3Dx.json.gz")
        let bucketLevel = try self.location(nil, bucket: "lake-bucket", key: nil)
        #expect(bucketLevel.path == "/")
    }

    @Test func dottedBucketsAndPathStyleKeepTheBucketInThePath() throws {
        let dotted = try self.location(nil, bucket: "logs.example.com", key: "k")
        #expect(dotted.host == "s3.eu-west-1.amazonaws.com")
        #expect(dotted.path == "/logs.example.com/k")
        let forced = try self.location(nil, .path, bucket: "lake", key: "a//b")
        #expect(forced.path == "/lake/a//b")
        #expect(try self.location(nil, .path, bucket: "lake", key: nil).path == "/lake")
        let china = try self.location(nil, region: "cn-north-1", bucket: "lake", key: "k")
        #expect(china.host == "lake.s3.cn-north-1.amazonaws.com.cn")
    }

    @Test func customEndpointsArePathStyleWithTheirPortAndBasePath() throws {
        let moto = try self.location("http://127.0.0.1:5000", bucket: "lake", key: "x/y.json")
        #expect(moto.host == "127.0.0.1")
        #expect(moto.port == 5000)
        #expect(moto.hostHeader == "127.0.0.1:5000")
        #expect(moto.path == "/lake/x/y.json")
        let based = try self.location("https://store.internal/base/", bucket: "lake", key: "k")
        #expect(based.hostHeader == "store.internal")
        #expect(based.path == "/base/lake/k")
        let virtual = try self.location("http://localhost:9000", .virtualHosted, bucket: "lake", key: "k")
        #expect(virtual.host == "lake.localhost")
        #expect(virtual.hostHeader == "lake.localhost:9000")
        #expect(virtual.path == "/k")
        let v6 = try self.location("http://[::1]:9000", bucket: "lake", key: "k")
        #expect(v6.host == "::1")
        #expect(v6.hostHeader == "[::1]:9000")
    }

    @Test func malformedEndpointsAreConfigurationErrors() {
        for endpoint in ["ftp://host", "http://", "http://host:99999", "http://host/?q=1"] {
            let error = #expect(throws: S3Error.self) { try self.location(endpoint, bucket: "lake", key: "k") }
            #expect(error?.code == .invalidConfiguration, "\(endpoint)")
        }
    }
}
