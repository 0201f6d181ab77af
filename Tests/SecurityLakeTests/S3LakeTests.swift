import Foundation
import NetworkTestSupport
import Pipeline
import ServiceSupport
import Testing

/// Parquet output through the S3 sink into moto (signatures checked by botocore), read back with pyarrow and
/// DuckDB: the same layout as the local directory sink, under the lake bucket's source locations.
@Suite(.serialized) struct S3LakeTests {
    static let bucket = "aws-security-data-lake-eu-west-1-abc"

    /// Downloads every object of the bucket into a directory with boto3.
    static let download = """
        import boto3, os
        s3 = boto3.client("s3", endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2],
                          aws_secret_access_key=sys.argv[3], region_name="us-east-1", verify=VERIFY)
        keys = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[4]):
            for item in page.get("Contents", []):
                path = os.path.join(sys.argv[5], item["Key"])
                os.makedirs(os.path.dirname(path), exist_ok=True)
                s3.download_file(sys.argv[4], item["Key"], path)
                keys.append(item["Key"])
        print("\\n".join(sorted(keys)))
        """

    @Test func parquetObjectsLandUnderTheSourceLocationsInTheLakeBucket() throws {
        if let reason = MotoServer.unavailableReason { return print("SKIP: \(reason)") }
        if let reason = LakeFixtures.readerUnavailable { return print("SKIP: \(reason)") }
        let sample =
            try LakeFixtures.load("aws-asr-securityhub-asff/afsbp-s3.2.json")
            + LakeFixtures.load("panther-test-events/aws_guardduty.ndjson", limit: 4)
            + LakeFixtures.load("panther-test-events/azure_monitoractivity.ndjson", limit: 1)
        guard !sample.isEmpty else { return print("SKIP: shared/data/events not found") }
        let moto = try MotoServer(buckets: [Self.bucket], verification: .strictProxy)
        let configuration = try ConfigurationLoader.load(
            path: nil,
            environment: [
                "LAKEMARK_LISTEN": "127.0.0.1:0", "LAKEMARK_SINK": "s3://\(Self.bucket)/ext",
                "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_S3": moto.endpoint, "LAKEMARK_FORMAT": "parquet",
                "LAKEMARK_SECURITY_LAKE_LOCATIONS": "2003=s3://\(Self.bucket)/ext/secberus-2003/1.0/,"
                    + "2004=s3://\(Self.bucket)/ext/secberus-2004/1.0/",
                "LAKEMARK_SECURITY_LAKE_REGION": "eu-west-1", "LAKEMARK_RAW_LOCATION": "secberus-errors/",
            ]
        )
        let factory = SinkFactory(environment: [
            "AWS_ACCESS_KEY_ID": moto.accessKeyID, "AWS_SECRET_ACCESS_KEY": moto.secretAccessKey,
        ])
        let service = try Service(
            configuration: configuration,
            logger: Logger(label: "test", level: .error),
            sinkFactory: factory
        )
        try service.start()
        defer { service.shutdown() }
        #expect(try LakeFixtures.post(port: service.boundPort, requestID: "s3-req-1", events: sample) == 200)

        let root = try LakeFixtures.temporaryDirectory()
        let keys = try moto.python(Self.download, [Self.bucket, root.path]).split(separator: "\n").map(String.init)
        let parquet = keys.filter { $0.hasSuffix(".parquet") }
        #expect(!parquet.isEmpty)
        #expect(
            parquet.allSatisfy {
                $0.hasPrefix("ext/secberus-2003/1.0/region=eu-west-1/")
                    || $0.hasPrefix("ext/secberus-2004/1.0/region=eu-west-1/")
            }
        )
        #expect(keys.filter { $0.hasSuffix(".json.gz") }.allSatisfy { $0.hasPrefix("ext/secberus-errors/eventDay=") })
        let reading = try LakeFixtures.read(root.appendingPathComponent("ext"))
        #expect(reading.allRows.count == sample.count - 1)
        #expect(!reading.seed.isEmpty)
    }

    @Test func aLocationOutsideTheSinkPrefixStopsStartUp() throws {
        var configuration = Configuration()
        configuration.sink = .s3(bucket: Self.bucket, prefix: "ext")
        configuration.s3.region = "us-east-1"
        configuration.format = .parquet
        configuration.securityLake.locations = [2004: "s3://\(Self.bucket)/other/secberus-2004/1.0/"]
        let factory = SinkFactory(environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x"])
        #expect(throws: ConfigurationError.self) {
            _ = try Service(
                configuration: configuration,
                logger: Logger(label: "test", level: .error),
                sinkFactory: factory
            )
        }
    }
}
