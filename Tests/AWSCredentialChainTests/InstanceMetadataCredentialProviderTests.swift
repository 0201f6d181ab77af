import AWSCredentialChain
import AWSSigning
import Foundation
import ServiceSupport
import Testing

/// An IMDSv2 fake: a session token from `PUT /latest/api/token`, required on every read.
struct FakeIMDS {
    var tokenAnswer: FakeResponse = FakeResponse(status: 200, body: "imds-session-token")
    var role = "lakemark-instance-role"
    var document: String = credentialDocument(accessKeyID: "ASIAIMDS", expiration: inOneHour(), imds: true)
    var requiresToken = true

    func answer(_ request: RecordedRequest) -> FakeResponse {
        let base = "/latest/meta-data/iam/security-credentials/"
        if request.method == "PUT", request.target == "/latest/api/token" {
            guard request.headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600" else {
                return FakeResponse(status: 400)
            }
            return tokenAnswer
        }
        guard request.method == "GET" else { return FakeResponse(status: 405) }
        if requiresToken, request.headers["x-aws-ec2-metadata-token"] != "imds-session-token" {
            return FakeResponse(status: 401)
        }
        if request.target == base { return FakeResponse(status: 200, body: role + "\n") }
        if request.target == base + role { return FakeResponse(status: 200, body: document) }
        return FakeResponse(status: 404)
    }
}

@Suite struct InstanceMetadataCredentialProviderTests {
    let connectors = AWSHTTPConnectors()
    let fast = FetchPolicy(timeout: .milliseconds(500), attempts: 2, retryDelay: .zero)

    func provider(
        _ server: LoopbackHTTPServer,
        _ extra: [String: String] = [:]
    ) throws -> InstanceMetadataCredentialProvider {
        var values = ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL + "/"]
        values.merge(extra) { _, new in new }
        return try #require(
            try InstanceMetadataCredentialProvider(
                environment: EnvironmentReader(values: values),
                connectors: connectors,
                policy: fast
            )
        )
    }

    @Test func tokenRoleAndCredentials() throws {
        let fake = FakeIMDS()
        let server = try LoopbackHTTPServer { fake.answer($0) }
        let credentials = try provider(server).credentials()
        #expect(credentials.accessKeyID == "ASIAIMDS")
        #expect(credentials.sessionToken == "container-token")
        let steps = server.requests.map { "\($0.method) \($0.target)" }
        #expect(
            steps == [
                "PUT /latest/api/token",
                "GET /latest/meta-data/iam/security-credentials/",
                "GET /latest/meta-data/iam/security-credentials/lakemark-instance-role",
            ]
        )
        #expect(server.requests.allSatisfy { $0.headers["host"] == "127.0.0.1:\(server.port)" })
    }

    @Test func rejectedTokenIsA401() throws {
        var fake = FakeIMDS()
        fake.tokenAnswer = FakeResponse(status: 200, body: "some-other-token")
        let server = try LoopbackHTTPServer { [fake] in fake.answer($0) }
        let error = try #require(throws: CredentialError.self) { try provider(server).credentials() }
        #expect(error.code == .httpStatus)
        #expect(error.httpStatus == 401)
        #expect(server.requests.count == 2)
    }

    @Test func v1FallbackWhenTokensAreNotSupported() throws {
        var fake = FakeIMDS()
        fake.tokenAnswer = FakeResponse(status: 404)
        fake.requiresToken = false
        let server = try LoopbackHTTPServer { [fake] in fake.answer($0) }
        #expect(try provider(server).credentials().accessKeyID == "ASIAIMDS")
        #expect(server.requests.dropFirst().allSatisfy { $0.headers["x-aws-ec2-metadata-token"] == nil })

        let strict = try provider(server, ["AWS_EC2_METADATA_V1_DISABLED": "true"])
        let error = try #require(throws: CredentialError.self) { try strict.credentials() }
        #expect(error.httpStatus == 404)
    }

    @Test func slowTokenAnswerTimesOutThenFallsBackToV1() throws {
        var fake = FakeIMDS()
        fake.tokenAnswer = FakeResponse(status: 200, body: "imds-session-token", delay: 1.2)
        let server = try LoopbackHTTPServer { [fake] in fake.answer($0) }
        // The token never arrives in time; the IMDSv1 reads without a token get 401 from this IMDSv2-only fake.
        let error = try #require(throws: CredentialError.self) { try provider(server).credentials() }
        #expect(error.httpStatus == 401)
        #expect(server.requests.filter { $0.method == "PUT" }.count == 2)

        let strict = try provider(server, ["AWS_EC2_METADATA_V1_DISABLED": "true"])
        let timeout = try #require(throws: CredentialError.self) { try strict.credentials() }
        #expect(timeout.code == .transportFailed)
    }

    @Test func badDocuments() throws {
        let cases: [(String, CredentialError.Code)] = [
            ("{not json", .invalidResponse),
            (#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"cannot assume role"}"#, .serviceError),
            (credentialDocument(expiration: Date().addingTimeInterval(-5), imds: true), .expiredCredentials),
            ("", .invalidResponse),
        ]
        for (document, expected) in cases {
            var fake = FakeIMDS()
            fake.document = document
            let server = try LoopbackHTTPServer { [fake] in fake.answer($0) }
            let error = try #require(throws: CredentialError.self) { try provider(server).credentials() }
            #expect(error.code == expected, "\(document)")
        }
    }

    @Test func malformedRoleNameIsRefused() throws {
        var fake = FakeIMDS()
        fake.role = "../../latest/user-data"
        let server = try LoopbackHTTPServer { [fake] in fake.answer($0) }
        let error = try #require(throws: CredentialError.self) { try provider(server).credentials() }
        #expect(error.code == .invalidResponse)
        #expect(server.requests.count == 2)
    }

    @Test func disabledAndModes() throws {
        let disabled = EnvironmentReader(values: ["AWS_EC2_METADATA_DISABLED": "true"])
        #expect(try InstanceMetadataCredentialProvider(environment: disabled, connectors: connectors) == nil)
        let ipv6 = EnvironmentReader(values: ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"])
        #expect(
            try InstanceMetadataCredentialProvider(environment: ipv6, connectors: connectors)?.endpoint.host
                == "fd00:ec2::254"
        )
        let standard = try InstanceMetadataCredentialProvider(
            environment: EnvironmentReader(values: [:]),
            connectors: connectors
        )
        #expect(standard?.endpoint.host == "169.254.169.254")
        let bad = EnvironmentReader(values: ["AWS_EC2_METADATA_DISABLED": "maybe"])
        #expect(throws: CredentialError.self) {
            _ = try InstanceMetadataCredentialProvider(environment: bad, connectors: connectors)
        }
    }
}
