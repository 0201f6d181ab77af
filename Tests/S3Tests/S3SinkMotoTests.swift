import AWSSigning
import Foundation
import NetworkTestSupport
import S3
import Sink
import Testing

/// The sink's readiness probe and its error mapping against moto.
@Suite(.enabled(if: S3Fixtures.motoIsAvailable, "moto[server] is not installed (scripts/deps.sh test)"))
struct S3SinkMotoTests {
    @Test func readinessStoresOneProbeAndReusesASuccess() throws {
        let moto = try MotoServer(buckets: ["lakemark-ready"])
        let client = try S3Fixtures.client(moto)
        let sink = S3Sink(
            client: client,
            bucket: "lakemark-ready",
            prefix: "lake",
            putOptions: S3PutOptions(serverSideEncryption: .s3)
        )
        try sink.checkWritable()
        let requests = client.statistics.requests
        try sink.checkWritable()
        #expect(client.statistics.requests == requests)
        #expect(try client.getObject(bucket: "lakemark-ready", key: "lake/.lakemark-readiness-probe").isEmpty)

        let missing = S3Sink(client: client, bucket: "lakemark-absent", prefix: "")
        let error = #expect(throws: SinkError.self) { try missing.checkWritable() }
        #expect(error?.code == .rejected)
        #expect(error?.message.contains("NoSuchBucket") == true)
        let afterFailure = client.statistics.requests
        let repeated = #expect(throws: SinkError.self) { try missing.checkWritable() }
        #expect(repeated?.code == .rejected)
        #expect(client.statistics.requests == afterFailure, "a recent failure is reported again without a write")

        var configuration = S3Client.Configuration(region: "us-east-1")
        configuration.endpoint = moto.endpoint
        let wrong = AWSCredentials(accessKeyID: moto.accessKeyID, secretAccessKey: "wrong")
        let stranger = try S3Client(configuration: configuration, credentials: StaticCredentialProvider(wrong))
        let refused = #expect(throws: SinkError.self) {
            try S3Sink(client: stranger, bucket: "lakemark-ready", prefix: "lake").checkWritable()
        }
        #expect(refused?.code == .accessDenied)
        #expect(refused?.message.contains("wrong") == false)
    }
}
