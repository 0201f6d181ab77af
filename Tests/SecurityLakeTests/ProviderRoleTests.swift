import Foundation
import HTTPClient
import NetworkTestSupport
import Pipeline
import ServiceSupport
import Testing

/// Parquet output with one Security Lake provider role per custom source: roles created in moto's IAM with trust
/// policies requiring an external id, assumed through moto's STS, S3 requests checked and logged per access key
/// by ``ProviderRoleProxy``.
@Suite(.serialized) struct ProviderRoleTests {
    static let bucket = "aws-security-data-lake-eu-west-1-roles"
    static let externalID = "lakemark-external-7"
    static let roleNames = [
        2003: "AmazonSecurityLake-Provider-sec2003-eu-west-1", 2004: "AmazonSecurityLake-Provider-sec2004-eu-west-1",
    ]

    /// Creates the two provider roles: trust limited to the base user with the external id, and an inline
    /// policy allowing `s3:PutObject` under the source location only. Prints the role ARNs.
    static let createRoles = """
        import json, boto3
        iam = boto3.client("iam", endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2],
                           aws_secret_access_key=sys.argv[3], region_name="us-east-1")
        user = iam.get_user(UserName="lakemark")["User"]["Arn"]
        bucket, external_id = sys.argv[4], sys.argv[5]
        for pair in sys.argv[6:]:
            name, source = pair.split("=")
            trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": user},
                     "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": external_id}}}]}
            arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
            policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject",
                      "Resource": "arn:aws:s3:::%s/ext/%s/1.0/*" % (bucket, source)}]}
            iam.put_role_policy(RoleName=name, PolicyName="source", PolicyDocument=json.dumps(policy))
            print(arn)
        """

    /// moto for IAM/STS, moto for S3, the proxy, and the two roles.
    struct Lake {
        let sts: MotoServer
        let store: MotoServer
        let proxy: ProviderRoleProxy
        let roleARNs: [Int: String]

        init() throws {
            sts = try MotoServer(buckets: [])
            store = try MotoServer(buckets: [ProviderRoleTests.bucket], verification: .strictProxy)
            let pairs = [2003, 2004].map { "\(ProviderRoleTests.roleNames[$0] ?? "")=secberus-\($0)" }
            let arns = try sts.python(
                ProviderRoleTests.createRoles,
                [ProviderRoleTests.bucket, ProviderRoleTests.externalID] + pairs
            ).split(separator: "\n").map(String.init)
            #expect(arns.count == 2)
            roleARNs = [2003: arns.first ?? "", 2004: arns.last ?? ""]
            var prefixes: [String: String] = [:]
            for uid in [2003, 2004] {
                let name = ProviderRoleTests.roleNames[uid] ?? ""
                prefixes[name] = "\(ProviderRoleTests.bucket)/ext/secberus-\(uid)/1.0/"
            }
            proxy = try ProviderRoleProxy(
                stsPort: sts.port,
                s3Port: store.port,
                baseKey: (sts.accessKeyID, sts.secretAccessKey),
                rolePrefixes: prefixes
            )
        }

        /// A started service writing parquet through the proxy with `extra` options.
        func service(_ extra: [String: String]) throws -> Service {
            let configuration = try ConfigurationLoader.load(
                path: nil,
                environment: [
                    "LAKEMARK_LISTEN": "127.0.0.1:0", "LAKEMARK_SINK": "s3://\(ProviderRoleTests.bucket)/ext",
                    "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_S3": proxy.endpoint, "LAKEMARK_FORMAT": "parquet",
                    "LAKEMARK_SECURITY_LAKE_LOCATIONS": "2003=s3://\(ProviderRoleTests.bucket)/ext/secberus-2003/1.0/,"
                        + "2004=s3://\(ProviderRoleTests.bucket)/ext/secberus-2004/1.0/",
                    "LAKEMARK_SECURITY_LAKE_REGION": "eu-west-1", "LAKEMARK_RAW_LOCATION": "secberus-errors/",
                ].merging(extra) { $1 }
            )
            let factory = SinkFactory(environment: [
                "AWS_ACCESS_KEY_ID": sts.accessKeyID, "AWS_SECRET_ACCESS_KEY": sts.secretAccessKey,
                "AWS_ENDPOINT_URL_STS": proxy.endpoint,
            ])
            let service = try Service(
                configuration: configuration,
                logger: Logger(label: "test", level: .critical),
                sinkFactory: factory
            )
            try service.start()
            return service
        }
    }

    /// `GET /readyz`: status and body.
    static func readiness(port: Int) throws -> (Int, String) {
        let response = try HTTPClient().send(
            HTTPClientRequest(method: .get, host: "127.0.0.1", port: port, target: "/readyz")
        )
        return (response.status.code, String(decoding: response.body, as: UTF8.self))
    }

    static func sample() throws -> [[UInt8]] {
        try LakeFixtures.load("aws-asr-securityhub-asff/afsbp-s3.2.json")
            + LakeFixtures.load("panther-test-events/aws_guardduty.ndjson", limit: 4)
            + LakeFixtures.load("panther-test-events/azure_monitoractivity.ndjson", limit: 1)
    }

    @Test func eachClassIsWrittenWithItsOwnProviderRole() throws {
        if let reason = MotoServer.unavailableReason { return print("SKIP: \(reason)") }
        let sample = try Self.sample()
        guard !sample.isEmpty else { return print("SKIP: shared/data/events not found") }
        let lake = try Lake()
        let roles = [2003, 2004].map { "\($0)=\(lake.roleARNs[$0] ?? "")" }.joined(separator: ",")
        let service = try lake.service([
            "LAKEMARK_SECURITY_LAKE_ROLES": roles, "LAKEMARK_S3_ROLE_EXTERNAL_ID": Self.externalID,
        ])
        defer { service.shutdown() }
        #expect(try Self.readiness(port: service.boundPort).0 == 200)
        #expect(try LakeFixtures.post(port: service.boundPort, requestID: "roles-1", events: sample) == 200)

        let puts = try lake.proxy.requests().filter { $0.method == "PUT" }
        let prefix = "/\(Self.bucket)/ext/"
        for uid in [2003, 2004] {
            let objects = puts.filter { $0.path.hasPrefix(prefix + "secberus-\(uid)/1.0/region=eu-west-1/") }
            #expect(!objects.isEmpty, "no object of \(uid)")
            #expect(objects.allSatisfy { $0.role == Self.roleNames[uid] && $0.key.hasPrefix("ASIA") })
        }
        let raw = puts.filter { $0.path.hasPrefix(prefix + "secberus-errors/") }
        #expect(!raw.isEmpty)
        #expect(raw.allSatisfy { $0.role == "base" && $0.key == lake.sts.accessKeyID })
        #expect(Set(puts.filter { $0.role != "base" }.map(\.key)).count == 2)
        #expect(puts.count == puts.filter { $0.path.hasSuffix(".parquet") || $0.path.hasSuffix(".json.gz") }.count)
        let stored = try lake.store.objectDigests(bucket: Self.bucket).keys
        #expect(Set(stored) == Set(puts.map { String($0.path.dropFirst(Self.bucket.count + 2)) }))
    }

    @Test func aWrongExternalIDIsNotReadyAndAnswers503NamingTheRole() throws {
        if let reason = MotoServer.unavailableReason { return print("SKIP: \(reason)") }
        let sample = try Self.sample()
        guard !sample.isEmpty else { return print("SKIP: shared/data/events not found") }
        let lake = try Lake()
        let roles = [2003, 2004].map { "\($0)=\(lake.roleARNs[$0] ?? "")" }.joined(separator: ",")
        let service = try lake.service([
            "LAKEMARK_SECURITY_LAKE_ROLES": roles, "LAKEMARK_S3_ROLE_EXTERNAL_ID": "not-the-external-id",
        ])
        defer { service.shutdown() }
        let (status, body) = try Self.readiness(port: service.boundPort)
        #expect(status == 503)
        #expect(body.contains(lake.roleARNs[2003] ?? "?"))
        #expect(try LakeFixtures.post(port: service.boundPort, requestID: "roles-2", events: sample) == 503)
        let puts = try lake.proxy.requests().filter { $0.method == "PUT" }
        #expect(puts.allSatisfy { $0.role == "base" })
        #expect(!puts.contains { $0.path.contains("/secberus-200") })
        #expect(try lake.store.objectDigests(bucket: Self.bucket).keys.allSatisfy { !$0.contains("secberus-200") })
    }

    @Test func aProviderRoleAsS3RoleIsReadyWithoutWritingAProbe() throws {
        if let reason = MotoServer.unavailableReason { return print("SKIP: \(reason)") }
        let sample = try LakeFixtures.load("aws-asr-securityhub-asff/afsbp-s3.2.json")
        guard !sample.isEmpty else { return print("SKIP: shared/data/events not found") }
        let lake = try Lake()
        let service = try lake.service([
            "LAKEMARK_S3_ROLE_ARN": lake.roleARNs[2003] ?? "", "LAKEMARK_S3_ROLE_EXTERNAL_ID": Self.externalID,
        ])
        defer { service.shutdown() }
        #expect(try Self.readiness(port: service.boundPort).0 == 200)
        #expect(try LakeFixtures.post(port: service.boundPort, requestID: "roles-3", events: sample) == 200)
        #expect(try Self.readiness(port: service.boundPort).0 == 200)
        let requests = try lake.proxy.requests()
        #expect(!requests.isEmpty)
        #expect(requests.allSatisfy { $0.method == "PUT" && $0.role == Self.roleNames[2003] })
        #expect(requests.allSatisfy { $0.path.hasPrefix("/\(Self.bucket)/ext/secberus-2003/1.0/region=") })
    }
}
